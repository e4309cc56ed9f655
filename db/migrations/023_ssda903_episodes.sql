-- SSDA903 episodes in and out (POLICY.md section E, issue 8). An episode of the DfE return is a
-- placement. The 903 never names a carer and many episodes are not with one of the council's
-- carers (K2 children's home, P1 with parents, A3-A6 placed for adoption), so carer_id becomes
-- optional: NULL means the child is not with a carer on this service's register. Placements gain
-- the episode's own columns, and an episode may cease (DEC) with a reason it ceased (REC) but no
-- reason for a placement change (REASON_PLACE_CHANGE, kept in end_reason): the child left care.
-- `unplanned` stays derived from end_reason as before (null when there is none).

ALTER TABLE placements
  ALTER COLUMN carer_id DROP NOT NULL,
  ADD COLUMN new_episode_reason text,   -- RNE
  ADD COLUMN legal_status text,         -- LS
  ADD COLUMN category_of_need text,     -- CIN
  ADD COLUMN provider text,             -- PLACE_PROVIDER
  ADD COLUMN ceased_reason text,        -- REC
  ADD COLUMN home_postcode text,        -- HOME_POST
  ADD COLUMN placement_postcode text,   -- PL_POST
  ADD COLUMN urn text;                  -- URN

-- The old rule "an ending has both its date and its reason" becomes: a reason (either) only with
-- an end date, and an end date with at least one of the two reasons.
DO $$
DECLARE
  name text;
BEGIN
  SELECT c.conname INTO STRICT name
    FROM pg_constraint c
   WHERE c.conrelid = 'placements'::regclass AND c.contype = 'c'
     AND pg_get_constraintdef(c.oid) LIKE '%(end_date IS NULL) = (end_reason IS NULL)%';
  EXECUTE format('ALTER TABLE placements DROP CONSTRAINT %I', name);
END
$$;
ALTER TABLE placements
  ADD CONSTRAINT placements_ending_reasons
    CHECK ((end_reason IS NULL AND ceased_reason IS NULL) OR end_date IS NOT NULL),
  ADD CONSTRAINT placements_ending_has_a_reason
    CHECK (end_date IS NULL OR end_reason IS NOT NULL OR ceased_reason IS NOT NULL);

-- The episode's columns, when the placement has any (null for one started on this service).
CREATE OR REPLACE FUNCTION placement_json(p placements) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', p.id, 'child_id', p.child_id, 'carer_id', p.carer_id,
                            'start_date', p.start_date, 'placement_type', p.placement_type,
                            'end_date', p.end_date, 'reason', p.end_reason,
                            'unplanned', p.unplanned,
                            'unplanned_ending_meeting',
                              CASE WHEN p.u1_earliest_on IS NULL THEN NULL
                                   ELSE jsonb_build_object(
                                     'earliest_on', p.u1_earliest_on, 'latest_on', p.u1_latest_on,
                                     'waiver', CASE WHEN p.u1_waiver_reason IS NULL THEN NULL
                                                    ELSE jsonb_build_object(
                                                      'reason', p.u1_waiver_reason,
                                                      'by', p.u1_waived_by,
                                                      'at', iso_utc(p.u1_waived_at)) END) END,
                            'ssda903',
                              CASE WHEN num_nonnulls(p.new_episode_reason, p.legal_status,
                                                     p.category_of_need, p.provider,
                                                     p.ceased_reason, p.home_postcode,
                                                     p.placement_postcode, p.urn) = 0 THEN NULL
                                   ELSE jsonb_build_object(
                                     'rne', p.new_episode_reason, 'ls', p.legal_status,
                                     'cin', p.category_of_need, 'place_provider', p.provider,
                                     'rec', p.ceased_reason, 'home_post', p.home_postcode,
                                     'pl_post', p.placement_postcode, 'urn', p.urn) END,
                            'version', p.version, 'created_at', iso_utc(p.created_at))
$$;

-- A child created by an SSDA903 import has no names until a case system or a social worker adds
-- them: they are shown as null.
CREATE OR REPLACE FUNCTION child_json(c children) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', c.id, 'team', c.team, 'version', c.version,
                            'given_name', NULL, 'family_name', NULL,
                            'created_at', iso_utc(c.created_at),
                            'updated_at', iso_utc(c.updated_at)) || c.doc
$$;

-- One import, set-based, in the caller's transaction: children (by external id ssda903 = CHILD)
-- and their episodes (by external id ssda903 = CHILD/DD-MM-YYYY of DECOM) are created, updated
-- or left unchanged. `children`: [{child, date_of_birth, doc}]; `episodes`: [{child, key,
-- start_date, placement_type, end_date, end_reason, unplanned, rne, ls, cin, provider, rec,
-- home_post, pl_post, urn}]. Answers one row per record: outcome created, updated, unchanged or
-- other_team (a child of another team holds the id: nothing of it is changed), with the record's
-- fields before and after. Changes only the 903's own fields of a child (names and the rest kept).
CREATE FUNCTION ssda903_import(children jsonb, episodes jsonb, import_team text, by_sub text)
  RETURNS TABLE (resource_type text, resource_id uuid, external_id text, outcome text,
                 before jsonb, after jsonb)
  LANGUAGE plpgsql AS $$
DECLARE
  c record;
  e record;
  found_id uuid;
  old_child children;
  old_p placements;
  new_doc jsonb;
  child_uuid uuid;
  fields jsonb;
  old_fields jsonb;
BEGIN
  FOR c IN SELECT * FROM jsonb_to_recordset(children)
                      AS x(child text, date_of_birth date, doc jsonb) LOOP
    SELECT x.resource_id INTO found_id FROM external_ids x
     WHERE x.resource_type = 'child' AND x.system = 'ssda903' AND x.external_id = c.child;
    IF found_id IS NULL THEN
      INSERT INTO children (team, doc, date_of_birth, created_by)
      VALUES (import_team,
              jsonb_build_object('given_name', NULL, 'family_name', NULL) || c.doc
              || jsonb_build_object('external_ids',
                                          jsonb_build_array(jsonb_build_object('system', 'ssda903',
                                                                               'id', c.child))),
              c.date_of_birth, by_sub)
      RETURNING id INTO child_uuid;
      INSERT INTO external_ids VALUES ('child', 'ssda903', c.child, child_uuid);
      RETURN QUERY SELECT 'child'::text, child_uuid, c.child, 'created'::text, NULL::jsonb, c.doc;
    ELSE
      SELECT * INTO STRICT old_child FROM children ch WHERE ch.id = found_id FOR UPDATE;
      IF old_child.team IS DISTINCT FROM import_team THEN
        RETURN QUERY SELECT 'child'::text, found_id, c.child, 'other_team'::text, NULL::jsonb,
                            NULL::jsonb;
        CONTINUE;
      END IF;
      new_doc := old_child.doc || c.doc;
      IF new_doc = old_child.doc AND old_child.date_of_birth = c.date_of_birth THEN
        RETURN QUERY SELECT 'child'::text, found_id, c.child, 'unchanged'::text, NULL::jsonb,
                            NULL::jsonb;
      ELSE
        UPDATE children ch SET doc = new_doc, date_of_birth = c.date_of_birth,
                               version = ch.version + 1, updated_at = now()
         WHERE ch.id = found_id;
        RETURN QUERY
          SELECT 'child'::text, found_id, c.child, 'updated'::text,
                 (SELECT jsonb_object_agg(k, old_child.doc -> k) FROM jsonb_object_keys(c.doc) k
                   WHERE old_child.doc -> k IS DISTINCT FROM c.doc -> k),
                 (SELECT jsonb_object_agg(k, c.doc -> k) FROM jsonb_object_keys(c.doc) k
                   WHERE old_child.doc -> k IS DISTINCT FROM c.doc -> k);
      END IF;
    END IF;
  END LOOP;

  FOR e IN SELECT * FROM jsonb_to_recordset(episodes)
                      AS x(child text, key text, start_date date, placement_type text,
                           end_date date, end_reason text, unplanned boolean, rne text, ls text,
                           cin text, provider text, rec text, home_post text, pl_post text,
                           urn text) LOOP
    SELECT x.resource_id INTO child_uuid FROM external_ids x
     WHERE x.resource_type = 'child' AND x.system = 'ssda903' AND x.external_id = e.child;
    IF NOT EXISTS (SELECT 1 FROM children ch WHERE ch.id = child_uuid
                                                AND ch.team IS NOT DISTINCT FROM import_team) THEN
      CONTINUE;  -- the child's row answered other_team already
    END IF;
    fields := jsonb_build_object('start_date', e.start_date, 'placement_type', e.placement_type,
                                 'end_date', e.end_date, 'reason', e.end_reason,
                                 'unplanned', e.unplanned, 'rne', e.rne, 'ls', e.ls,
                                 'cin', e.cin, 'place_provider', e.provider, 'rec', e.rec,
                                 'home_post', e.home_post, 'pl_post', e.pl_post, 'urn', e.urn);
    SELECT x.resource_id INTO found_id FROM external_ids x
     WHERE x.resource_type = 'placement' AND x.system = 'ssda903' AND x.external_id = e.key;
    IF found_id IS NULL THEN
      INSERT INTO placements (child_id, carer_id, start_date, placement_type, end_date, end_reason,
                              unplanned, new_episode_reason, legal_status, category_of_need,
                              provider, ceased_reason, home_postcode, placement_postcode, urn,
                              created_by)
      VALUES (child_uuid, NULL, e.start_date, e.placement_type, e.end_date, e.end_reason,
              e.unplanned, e.rne, e.ls, e.cin, e.provider, e.rec, e.home_post, e.pl_post, e.urn,
              by_sub)
      RETURNING id INTO found_id;
      INSERT INTO external_ids VALUES ('placement', 'ssda903', e.key, found_id);
      RETURN QUERY SELECT 'placement'::text, found_id, e.key, 'created'::text, NULL::jsonb,
                          jsonb_strip_nulls(fields);
    ELSE
      SELECT * INTO STRICT old_p FROM placements p WHERE p.id = found_id FOR UPDATE;
      old_fields := jsonb_build_object('start_date', old_p.start_date,
                                       'placement_type', old_p.placement_type,
                                       'end_date', old_p.end_date, 'reason', old_p.end_reason,
                                       'unplanned', old_p.unplanned,
                                       'rne', old_p.new_episode_reason, 'ls', old_p.legal_status,
                                       'cin', old_p.category_of_need,
                                       'place_provider', old_p.provider,
                                       'rec', old_p.ceased_reason,
                                       'home_post', old_p.home_postcode,
                                       'pl_post', old_p.placement_postcode, 'urn', old_p.urn);
      IF old_fields = fields THEN
        RETURN QUERY SELECT 'placement'::text, found_id, e.key, 'unchanged'::text, NULL::jsonb,
                            NULL::jsonb;
      ELSE
        UPDATE placements p
           SET placement_type = e.placement_type, end_date = e.end_date,
               end_reason = e.end_reason, unplanned = e.unplanned, new_episode_reason = e.rne,
               legal_status = e.ls, category_of_need = e.cin, provider = e.provider,
               ceased_reason = e.rec, home_postcode = e.home_post,
               placement_postcode = e.pl_post, urn = e.urn, version = p.version + 1,
               updated_at = now()
         WHERE p.id = found_id;
        RETURN QUERY
          SELECT 'placement'::text, found_id, e.key, 'updated'::text,
                 (SELECT jsonb_object_agg(k, old_fields -> k) FROM jsonb_object_keys(fields) k
                   WHERE old_fields -> k IS DISTINCT FROM fields -> k),
                 (SELECT jsonb_object_agg(k, fields -> k) FROM jsonb_object_keys(fields) k
                   WHERE old_fields -> k IS DISTINCT FROM fields -> k);
      END IF;
    END IF;
  END LOOP;
END
$$;
