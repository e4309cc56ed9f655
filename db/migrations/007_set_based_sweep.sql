-- S7: the sweep now steps every due action in a few set-based statements (db/sweep.c) instead
-- of a round trip per action; it needs the London date of an instant in SQL.
CREATE FUNCTION london_date(t timestamptz) RETURNS date
  LANGUAGE sql STABLE AS $$ SELECT (t AT TIME ZONE 'Europe/London')::date $$;

-- The sealer's queue is filled once per statement (a bulk insert of a sweep writes thousands of
-- audit rows in one statement) instead of once per row.
DROP TRIGGER audit_log_queue ON audit_log;
DROP FUNCTION audit_queue_for_sealing();
CREATE FUNCTION audit_queue_for_sealing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_pending (audit_id) SELECT id FROM written;
  RETURN NULL;
END $$;
CREATE TRIGGER audit_log_queue AFTER INSERT ON audit_log REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION audit_queue_for_sealing();
