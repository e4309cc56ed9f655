-- Matching and permanence panels (P5): the sitting, who sits in which seat, who attended. M8's
-- quorum is computed from attendance (domain/panels.c); M9 needs to know the last panel of a
-- calendar month.
CREATE TABLE panels (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  panel_date  date NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('matching', 'permanence')),
  part        integer CHECK (part IN (1, 2)),
  version     integer NOT NULL DEFAULT 1,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX panels_date ON panels (kind, panel_date);

CREATE TABLE panel_members (
  panel_id   uuid NOT NULL REFERENCES panels (id),
  person_id  text NOT NULL REFERENCES people (id),
  seat       text NOT NULL CHECK (seat IN ('chair', 'deputy_chair', 'core', 'optional',
                                           'presenter', 'voice_ambassador')),
  attended   boolean,  -- null until the day
  PRIMARY KEY (panel_id, person_id)
);
CREATE INDEX panel_members_person ON panel_members (person_id);

-- The panel with its members and whether it is the last of its kind in its calendar month (M9).
CREATE FUNCTION panel_json(p panels) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', p.id, 'date', p.panel_date, 'kind', p.kind, 'part', p.part, 'version', p.version,
    'created_by', p.created_by, 'created_at', iso_utc(p.created_at),
    'last_of_month', NOT EXISTS (SELECT 1 FROM panels o
                                  WHERE o.kind = p.kind AND o.panel_date > p.panel_date
                                    AND date_trunc('month', o.panel_date) = date_trunc('month', p.panel_date)),
    'members', (SELECT coalesce(jsonb_agg(jsonb_build_object('person_id', m.person_id,
                                                             'seat', m.seat,
                                                             'attended', m.attended)
                                          ORDER BY m.seat, m.person_id), '[]')
                  FROM panel_members m WHERE m.panel_id = p.id))
$$;
