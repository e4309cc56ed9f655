-- The benchmark's data: a realistic volume in the bench database (never the service's own).
-- psql variables: children, carers, placements, actions, audit_rows, csws.
-- One team ("bench") holds every child, so that its team manager pages through all of them;
-- each CSW is allocated about children/csws children. The service's sealer links the seeded
-- audit rows into the hash chain in the background; bench/run.sh waits for it.
\set ON_ERROR_STOP 1
BEGIN;
INSERT INTO people (id, name, team, roles) VALUES
  ('bench-admin', 'Bench Admin', NULL, '{admin}'),
  ('bench-tm', 'Bench Team Manager', 'bench', '{team_manager}');
INSERT INTO people (id, name, team, manager_id, roles)
SELECT 'bench-csw-' || i, 'Worker ' || i, 'bench', 'bench-tm', '{csw}'
  FROM generate_series(1, :csws) i;

INSERT INTO children (id, team, doc, date_of_birth, created_by)
SELECT md5('child' || i)::uuid, 'bench',
       jsonb_build_object('given_name', 'Child' || i, 'family_name', 'Bench',
                          'date_of_birth', to_char(date '2008-01-01' + (i % 5000), 'YYYY-MM-DD'),
                          'sex', CASE WHEN i % 2 = 0 THEN 'female' ELSE 'male' END,
                          'legal_status', 'C2', 'languages', jsonb_build_array('English'),
                          'profile', jsonb_build_object('history', repeat('History. ', 20),
                                                        'strengths', 'Kind and funny.')),
       date '2008-01-01' + (i % 5000), 'bench-tm'
  FROM generate_series(1, :children) i;

INSERT INTO allocations (child_id, person_id, role, from_date, created_by)
SELECT md5('child' || i)::uuid, 'bench-csw-' || (i % :csws + 1), 'csw', date '2020-01-01', 'bench-tm'
  FROM generate_series(1, :children) i;

INSERT INTO carers (id, team, doc, agency_id, approval_status, approved_on, max_children, created_by)
SELECT md5('carer' || i)::uuid, 'bench',
       jsonb_build_object('carers', jsonb_build_array(jsonb_build_object('given_name', 'Carer' || i,
                                                                         'family_name', 'Bench')),
                          'approval', jsonb_build_object('status', 'approved',
                                                         'approved_on', '2015-01-01',
                                                         'max_children', 3, 'long_term', true),
                          'postcode', 'SN1 1AA'),
       CASE WHEN i % 5 = 0 THEN 'ifa-' || (i % 7) END, 'approved', date '2015-01-01', 3, 'bench-tm'
  FROM generate_series(1, :carers) i;

-- Every child has one open placement; the rest of the placements are ended earlier ones.
INSERT INTO placements (child_id, carer_id, start_date, placement_type, created_by)
SELECT md5('child' || i)::uuid, md5('carer' || (i % :carers + 1))::uuid, date '2024-01-01', 'U4', 'bench-tm'
  FROM generate_series(1, :children) i;
INSERT INTO placements (child_id, carer_id, start_date, placement_type, end_date, end_reason,
                        unplanned, created_by)
SELECT md5('child' || (i % :children + 1))::uuid, md5('carer' || (i % :carers + 7))::uuid,
       date '2020-01-01', 'U6', date '2023-06-01', 'CREQB', true, 'bench-tm'
  FROM generate_series(1, greatest(:placements - :children, 0)) i;

-- Actions due from 60 days ago to 60 days on. Those already past due were flagged by earlier
-- sweeps and are re-checked within the coming week, so that the service's first sweep at start
-- finds nothing to do and scenario 5 measures a sweep over the whole table.
INSERT INTO actions (title, subject_type, subject_id, owner_id, due_at, source_rule, created_by,
                     flagged_at, recheck_at)
SELECT 'Bench action ' || i, 'child', md5('child' || (i % :children + 1))::uuid,
       'bench-csw-' || ((i % :children) % :csws + 1), due, 'S4', 'bench-tm',
       CASE WHEN due < now() THEN due END,
       CASE WHEN due < now() THEN now() + (i % 5 + 1) * interval '1 day' END
  FROM generate_series(1, :actions) i,
       LATERAL (SELECT now() + ((i % 120) - 60) * interval '1 day' AS due) d;

INSERT INTO audit_log (sub, roles, method, route, resource_type, resource_id, status)
SELECT 'bench-csw-' || (i % :csws + 1), '{csw}', 'GET', '/v1/children/:id', 'child',
       md5('child' || (i % :children + 1)), 200
  FROM generate_series(1, :audit_rows) i;
-- The benchmark runs the S7 sweep itself (scenario 5): the timer stays out of the way.
INSERT INTO setting_overrides (name, value, updated_by)
VALUES ('action_sweep_interval_seconds', 86400, 'bench-admin');
COMMIT;
VACUUM ANALYZE people, children, carers, allocations, placements, actions, audit_log, audit_chain;
