-- Fixes from a second reading of the code.

-- R1 keeps the before/after of every change, but the audit trail's reader is the administrator,
-- who does not read children's details: for case records the API shows which fields changed,
-- not their values (the values stay in the table for an investigation).
CREATE FUNCTION audit_changes_shown(resource_type text, changes jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
      WHEN changes IS NULL OR resource_type NOT IN ('child', 'carer', 'placement', 'allocation',
                                                    'action', 'document', 'match')
        THEN changes
      ELSE jsonb_build_object(
             'fields', (SELECT coalesce(jsonb_agg(DISTINCT k ORDER BY k), '[]')
                          FROM (SELECT jsonb_object_keys(CASE WHEN jsonb_typeof(changes->'before') = 'object'
                                                              THEN changes->'before' ELSE '{}' END) AS k
                                UNION
                                SELECT jsonb_object_keys(CASE WHEN jsonb_typeof(changes->'after') = 'object'
                                                              THEN changes->'after' ELSE '{}' END)) keys),
             'read', changes->'read')
    END
$$;

-- An administrator works the administrators' queue of actions; the rest of the actions (about
-- children and carers) are for those who work the case.
CREATE OR REPLACE FUNCTION action_access(owner text, subject_type text, subject uuid, person text,
                                         is_admin boolean, child_kinds text[], carer_kinds text[],
                                         agency text) RETURNS TABLE (visible boolean)
  LANGUAGE sql STABLE AS $$
    SELECT owner = person
        OR (is_admin AND owner IS NULL)
        OR EXISTS (SELECT 1 FROM people o WHERE o.id = owner AND o.manager_id = person)
        OR (subject_type = 'child'
            AND (SELECT visible FROM child_access(subject, person, child_kinds)))
        OR (subject_type = 'carer'
            AND EXISTS (SELECT 1 FROM carers c
                          CROSS JOIN LATERAL carer_access(c.id, c.agency_id, person, agency,
                                                          carer_kinds) v
                         WHERE c.id = subject AND v.visible))
$$;
