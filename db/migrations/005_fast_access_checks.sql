-- Faster access checks, same rules. The checks of 001 and 004 were scalar SQL functions over the
-- relationship views; PostgreSQL never inlines a scalar SQL function whose body holds a
-- sub-select, so it planned the body again on every call (hundreds of catalog pages a request).
-- A set-returning SQL function is inlined into the query that calls it (FROM ... LATERAL), so
-- the rules now live in child_access, carer_access and action_access, one indexed probe per kind
-- of relationship. The old functions and the relationship views they read are dropped.

CREATE INDEX allocations_child_person ON allocations (child_id, person_id) WHERE child_id IS NOT NULL;
CREATE INDEX allocations_carer_person ON allocations (carer_id, person_id) WHERE carer_id IS NOT NULL;
CREATE INDEX placements_child_open ON placements (child_id) WHERE end_date IS NULL;

CREATE FUNCTION child_access(child uuid, person text, kinds text[]) RETURNS TABLE (visible boolean)
  LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM allocations a
                    WHERE a.child_id = child AND a.person_id = person AND a.role = ANY (kinds)
                      AND a.from_date <= london_today()
                      AND (a.to_date IS NULL OR a.to_date > london_today()))
        OR ('placed_with_ssw' = ANY (kinds)
            AND EXISTS (SELECT 1 FROM placements p
                          JOIN allocations a ON a.carer_id = p.carer_id AND a.role = 'ssw'
                         WHERE p.child_id = child AND p.end_date IS NULL AND a.person_id = person
                           AND a.from_date <= london_today()
                           AND (a.to_date IS NULL OR a.to_date > london_today())))
        OR ('team' = ANY (kinds)
            AND EXISTS (SELECT 1 FROM children c JOIN people pe ON pe.team = c.team
                         WHERE c.id = child AND pe.id = person))
$$;

CREATE FUNCTION carer_access(carer uuid, carer_agency text, person text, agency text,
                             kinds text[]) RETURNS TABLE (visible boolean)
  LANGUAGE sql STABLE AS $$
    SELECT 'any_carer' = ANY (kinds)
        OR ('own_agency' = ANY (kinds) AND carer_agency IS NOT NULL AND carer_agency = agency)
        OR ('ssw' = ANY (kinds)
            AND EXISTS (SELECT 1 FROM allocations a
                         WHERE a.carer_id = carer AND a.person_id = person AND a.role = 'ssw'
                           AND a.from_date <= london_today()
                           AND (a.to_date IS NULL OR a.to_date > london_today())))
        OR ('carer_of_csw_child' = ANY (kinds)
            AND EXISTS (SELECT 1 FROM placements p
                          JOIN allocations a ON a.child_id = p.child_id AND a.role = 'csw'
                         WHERE p.carer_id = carer AND p.end_date IS NULL AND a.person_id = person
                           AND a.from_date <= london_today()
                           AND (a.to_date IS NULL OR a.to_date > london_today())))
        OR ('team' = ANY (kinds)
            AND EXISTS (SELECT 1 FROM carers c JOIN people pe ON pe.team = c.team
                         WHERE c.id = carer AND pe.id = person))
$$;

-- Who sees an action (004's action_visible, inlinable): its owner, the owner's manager, an
-- administrator, and those who may read its subject (the IRO checks a child's actions, S6).
CREATE FUNCTION action_access(owner text, subject_type text, subject uuid, person text,
                              is_admin boolean, child_kinds text[], carer_kinds text[],
                              agency text) RETURNS TABLE (visible boolean)
  LANGUAGE sql STABLE AS $$
    SELECT owner = person
        OR is_admin
        OR EXISTS (SELECT 1 FROM people o WHERE o.id = owner AND o.manager_id = person)
        OR (subject_type = 'child'
            AND (SELECT visible FROM child_access(subject, person, child_kinds)))
        OR (subject_type = 'carer'
            AND EXISTS (SELECT 1 FROM carers c
                          CROSS JOIN LATERAL carer_access(c.id, c.agency_id, person, agency,
                                                          carer_kinds) v
                         WHERE c.id = subject AND v.visible))
$$;
DROP FUNCTION action_visible(actions, text, boolean, text[], text[], text);
DROP FUNCTION child_visible(uuid, text, text[]);
DROP FUNCTION carer_visible(uuid, text, text, text, text[]);
DROP VIEW child_relationships;
DROP VIEW carer_relationships;

-- Lists answer actions without their history (a row's history costs a sub-select); one action
-- answers with it.
CREATE FUNCTION action_summary_json(a actions) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', a.id, 'title', a.title, 'detail', a.detail,
    'subject', jsonb_build_object('type', a.subject_type, 'id', a.subject_id),
    'owner_id', a.owner_id, 'owner_queue', CASE WHEN a.owner_id IS NULL THEN 'admin' END,
    'due_at', iso_utc(a.due_at), 'status', a.status, 'source_rule', a.source_rule,
    'source', CASE WHEN a.source_type IS NULL THEN NULL
                   ELSE jsonb_build_object('type', a.source_type, 'id', a.source_id) END,
    'flagged_at', iso_utc(a.flagged_at), 'recheck_at', iso_utc(a.recheck_at),
    'escalations', a.escalations, 'closed_at', iso_utc(a.closed_at),
    'closing_note', a.closing_note, 'version', a.version,
    'created_by', a.created_by, 'created_at', iso_utc(a.created_at))
$$;

CREATE OR REPLACE FUNCTION action_json(a actions) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT action_summary_json(a)
         || jsonb_build_object('history', (SELECT coalesce(jsonb_agg(jsonb_build_object(
              'at', iso_utc(h.at), 'event', h.event, 'from_owner', h.from_owner,
              'to_owner', h.to_owner, 'note', h.note, 'by', h.by_sub) ORDER BY h.id), '[]')
              FROM action_history h WHERE h.action_id = a.id))
$$;
