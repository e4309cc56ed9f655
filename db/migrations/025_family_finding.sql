-- Family finding (issue 10): sibling groups, and the search that led to a proposed carer kept
-- with the match so that the matching report and the panel see why this carer was chosen.

-- Children linked as a sibling group, with the plan to place them together or apart. A plan to
-- place them apart records its reason. A child is in at most one group. Never deleted (R3).
CREATE TABLE sibling_groups (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan        text NOT NULL CHECK (plan IN ('together', 'apart')),
  reason      text,
  version     integer NOT NULL DEFAULT 1,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (plan <> 'apart' OR (reason IS NOT NULL AND reason ~ '\S'))
);

CREATE TABLE sibling_group_members (
  group_id  uuid NOT NULL REFERENCES sibling_groups (id),
  child_id  uuid NOT NULL REFERENCES children (id) UNIQUE,
  PRIMARY KEY (group_id, child_id)
);

CREATE FUNCTION sibling_group_json(g sibling_groups) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', g.id, 'plan', g.plan, 'reason', g.reason,
                            'child_ids', (SELECT coalesce(jsonb_agg(m.child_id ORDER BY m.child_id), '[]')
                                            FROM sibling_group_members m WHERE m.group_id = g.id),
                            'version', g.version, 'created_by', g.created_by,
                            'created_at', iso_utc(g.created_at))
$$;

-- The search that led to the proposed carer (date, children searched for, the order's rule, the
-- proposed carer's place and factors, the candidates considered), and the sibling group a
-- match is for when the search was for a group.
ALTER TABLE matches
  ADD COLUMN search            jsonb,
  ADD COLUMN sibling_group_id  uuid REFERENCES sibling_groups (id);

CREATE OR REPLACE FUNCTION match_json(m matches) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', m.id, 'child_id', m.child_id, 'carer_id', m.carer_id,
                            'kind', m.kind, 'status', m.status, 'finder_role', m.finder_role,
                            'finder_id', m.finder_id, 'started_on', m.started_on,
                            'withdrawn_reason', m.withdrawn_reason,
                            'panel_item_id', m.panel_item_id, 'panel_id', i.panel_id,
                            'fee_discussion', m.fee_discussion,
                            'recommendation', i.recommendation,
                            'decision', CASE WHEN m.decided_at IS NULL THEN NULL
                                        ELSE jsonb_build_object(
                                               'agreed', m.decision_agreed,
                                               'reasons', m.decision_reasons,
                                               'decided_by', m.decided_by,
                                               'decided_at', iso_utc(m.decided_at),
                                               'circulated_at', iso_utc(m.decision_circulated_at))
                                        END,
                            'sibling_group_id', m.sibling_group_id,
                            'search', m.search,
                            'version', m.version,
                            'created_by', m.created_by, 'created_at', iso_utc(m.created_at),
                            'updated_at', iso_utc(m.updated_at))
    FROM (SELECT NULL) one LEFT JOIN panel_items i ON i.id = m.panel_item_id
$$;

INSERT INTO change_event_types (method, route, resource_type, event_type) VALUES
  ('POST', '/v1/sibling-groups', 'sibling_group', 'sibling_group.created');
