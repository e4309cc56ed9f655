-- The change feed and the syncs by external id (PUT .../by-external/{system}/{id}): one route
-- creates or changes, so its event follows the answer's status; and a sync answered unchanged
-- (a read, audited as one) announces nothing.

ALTER TABLE change_event_types ADD COLUMN status integer; -- null: whatever the status
ALTER TABLE change_event_types DROP CONSTRAINT change_event_types_pkey;
CREATE UNIQUE INDEX change_event_types_route_status
  ON change_event_types (method, route, resource_type, coalesce(status, 0));

INSERT INTO change_event_types (method, route, resource_type, status, event_type) VALUES
  ('PUT', '/v1/children/by-external/:system/:id', 'child', 201, 'child.created'),
  ('PUT', '/v1/children/by-external/:system/:id', 'child', 200, 'child.updated'),
  ('PUT', '/v1/children/by-external/:system/:id', 'allocation', NULL, 'allocation.created'),
  ('PUT', '/v1/carers/by-external/:system/:id', 'carer', 201, 'carer.created'),
  ('PUT', '/v1/carers/by-external/:system/:id', 'carer', 200, 'carer.updated'),
  ('PUT', '/v1/placements/by-external/:system/:id', 'placement', 201, 'placement.started'),
  ('PUT', '/v1/placements/by-external/:system/:id', 'placement', 200, 'placement.ended');

CREATE OR REPLACE FUNCTION change_event_from_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  announced text;
  known boolean := false;
BEGIN
  SELECT t.event_type, true INTO announced, known
    FROM change_event_types t
   WHERE t.method = NEW.method AND t.route = NEW.route AND t.resource_type = NEW.resource_type
     AND (t.status IS NULL OR t.status = NEW.status)
   ORDER BY t.status NULLS LAST
   LIMIT 1;
  IF NOT coalesce(known, false) THEN
    announced := coalesce(NEW.resource_type, 'service')
                 || CASE NEW.method WHEN 'POST' THEN '.recorded' WHEN 'PATCH' THEN '.updated'
                                    WHEN 'DELETE' THEN '.removed'
                                    WHEN 'PUT' THEN CASE WHEN NEW.status = 201 THEN '.created'
                                                         ELSE '.updated' END
                                    ELSE '.changed' END;
  END IF;
  IF announced IS NOT NULL THEN
    INSERT INTO events (type, subject_type, subject_id, payload)
    VALUES (announced, coalesce(NEW.resource_type, 'service'),
            coalesce(NEW.resource_id, NEW.resource_type, 'service'),
            jsonb_build_object('by', NEW.sub, 'request_id', NEW.request_id));
  END IF;
  RETURN NULL;
END
$$;

-- A write's audit row carries what changed; a read's (even of a PUT answered unchanged) carries
-- nothing or what it showed.
DROP TRIGGER audit_log_announces_changes ON audit_log;
CREATE TRIGGER audit_log_announces_changes AFTER INSERT ON audit_log
  FOR EACH ROW WHEN (NEW.method <> 'GET' AND NEW.status BETWEEN 200 AND 299
                     AND NEW.changes IS NOT NULL AND NOT NEW.changes ? 'read')
  EXECUTE FUNCTION change_event_from_audit();
