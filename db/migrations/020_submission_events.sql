-- The change feed for agencies' carer submissions (migration 019): the events their steps
-- announce, seen by the agency that sent them and by the fostering team.

INSERT INTO change_event_types (method, route, resource_type, event_type) VALUES
  ('POST', '/v1/agencies/:agency/carer-submissions', 'carer_submission',
   'carer_submission.submitted'),
  ('POST', '/v1/agencies/:agency/carer-submissions/:id/versions', 'carer_submission',
   'carer_submission.updated'),
  ('POST', '/v1/carer-submissions/:id/accept', 'carer_submission', 'carer_submission.accepted'),
  ('POST', '/v1/carer-submissions/:id/accept', 'carer', 'carer.accepted_from_agency'),
  ('POST', '/v1/carer-submissions/:id/return', 'carer_submission', 'carer_submission.returned');

CREATE OR REPLACE FUNCTION event_visible(e events, person text, is_admin boolean, reads_panels boolean,
                              child_kinds text[], carer_kinds text[], agency text)
  RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT is_admin OR coalesce(e.recipient = person, false) OR
    CASE
      WHEN e.subject_type = 'action' THEN
        EXISTS (SELECT 1 FROM actions a
                  CROSS JOIN LATERAL action_access(a.owner_id, a.subject_type, a.subject_id,
                                                   person, is_admin, child_kinds, carer_kinds,
                                                   agency) v
                 WHERE a.id = e.subject_id::uuid AND v.visible)
      WHEN e.subject_type IN ('panel', 'panel_item') THEN reads_panels
      WHEN e.subject_type = 'carer_submission' THEN
        EXISTS (SELECT 1 FROM carer_submissions s
                 WHERE s.id = e.subject_id::uuid
                   AND (s.agency_id = agency OR carer_kinds && ARRAY['ssw', 'team']))
      ELSE coalesce((SELECT CASE WHEN o.child IS NOT NULL
                                 THEN (SELECT visible FROM child_access(o.child, person, child_kinds))
                                 WHEN o.carer IS NOT NULL
                                 THEN EXISTS (SELECT 1 FROM carers c
                                                CROSS JOIN LATERAL carer_access(c.id, c.agency_id,
                                                                                person, agency,
                                                                                carer_kinds) v
                                               WHERE c.id = o.carer AND v.visible)
                                 ELSE false END
                       FROM event_record_owner(e.subject_type, e.subject_id) o), false)
    END
$$;
