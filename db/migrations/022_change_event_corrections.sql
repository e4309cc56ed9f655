-- The change feed, from a reading of its events: each change announced once, by one name.

-- The handler writes match.decision_circulated itself.
UPDATE change_event_types SET event_type = NULL
 WHERE method = 'POST' AND route = '/v1/matches/:id/decision/circulated'
   AND resource_type = 'match';

INSERT INTO change_event_types (method, route, resource_type, status, event_type) VALUES
  -- listing a match at panel writes match.submitted itself
  ('POST', '/v1/panels/:id/items', 'match', NULL, NULL),
  -- a CSW's new child comes with their allocation
  ('POST', '/v1/children', 'allocation', NULL, 'allocation.created');

-- The S7 sweep writes action.flagged and action.escalated itself, for tens of thousands of
-- actions at a time: its audit rows do not even reach the trigger's function.
DROP TRIGGER audit_log_announces_changes ON audit_log;
CREATE TRIGGER audit_log_announces_changes AFTER INSERT ON audit_log
  FOR EACH ROW WHEN (NEW.method NOT IN ('GET', 'SWEEP') AND NEW.status BETWEEN 200 AND 299
                     AND NEW.changes IS NOT NULL AND NOT NEW.changes ? 'read')
  EXECUTE FUNCTION change_event_from_audit();
