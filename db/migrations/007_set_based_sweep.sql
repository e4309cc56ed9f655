-- S7: the sweep now steps every due action in a few set-based statements (db/sweep.c) instead
-- of a round trip per action; it needs the London date of an instant in SQL.
CREATE FUNCTION london_date(t timestamptz) RETURNS date
  LANGUAGE sql STABLE AS $$ SELECT (t AT TIME ZONE 'Europe/London')::date $$;
