-- Long-term matches (M1-M3): from family finding to a proposed carer. Panels, the
-- recommendation and the ADM's decision follow in later migrations.
CREATE TABLE matches (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  child_id          uuid NOT NULL REFERENCES children (id),
  carer_id          uuid REFERENCES carers (id),
  kind              text NOT NULL CHECK (kind IN ('long_term', 'connected_person')),
  status            text NOT NULL CHECK (status IN ('family_finding', 'proposed', 'withdrawn')),
  finder_role       text NOT NULL CHECK (finder_role IN ('family_finder', 'csw')),
  finder_id         text NOT NULL REFERENCES people (id),
  started_on        date NOT NULL,
  withdrawn_reason  text,
  version           integer NOT NULL DEFAULT 1,
  created_by        text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'proposed' OR carer_id IS NOT NULL),
  CHECK ((status = 'withdrawn') = (withdrawn_reason IS NOT NULL))
);
CREATE INDEX matches_child ON matches (child_id, id);

CREATE FUNCTION match_json(m matches) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', m.id, 'child_id', m.child_id, 'carer_id', m.carer_id,
                            'kind', m.kind, 'status', m.status, 'finder_role', m.finder_role,
                            'finder_id', m.finder_id, 'started_on', m.started_on,
                            'withdrawn_reason', m.withdrawn_reason, 'version', m.version,
                            'created_by', m.created_by, 'created_at', iso_utc(m.created_at),
                            'updated_at', iso_utc(m.updated_at))
$$;
