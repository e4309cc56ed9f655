-- Integration (issue 7): independent fostering agencies submit their carers' profiles. The
-- fostering team accepts a version (it becomes, or updates, the agency's carer) or returns it
-- with reasons per field. Every version of a submission is kept as it was sent (R3): a version's
-- profile is never overwritten, and nothing here is deleted.

CREATE TABLE carer_submissions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id   text NOT NULL,
  status      text NOT NULL DEFAULT 'submitted'
              CHECK (status IN ('submitted', 'returned', 'accepted')),
  version     integer NOT NULL DEFAULT 1 CHECK (version >= 1),  -- the latest version
  carer_id    uuid REFERENCES carers (id),                      -- set by the first acceptance
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX carer_submissions_agency ON carer_submissions (agency_id, id);
CREATE INDEX carer_submissions_status ON carer_submissions (status, id);
-- One submission per carer: later acceptances update the carer the first one created.
CREATE UNIQUE INDEX carer_submissions_carer ON carer_submissions (carer_id)
  WHERE carer_id IS NOT NULL;

-- A version's status: `submitted` while it waits for the fostering team, `superseded` when the
-- agency sent another before it was decided, `returned` or `accepted` once decided.
CREATE TABLE carer_submission_versions (
  submission_id     uuid NOT NULL REFERENCES carer_submissions (id),
  version           integer NOT NULL CHECK (version >= 1),
  profile           jsonb NOT NULL CHECK (jsonb_typeof(profile) = 'object'),
  status            text NOT NULL DEFAULT 'submitted'
                    CHECK (status IN ('submitted', 'superseded', 'returned', 'accepted')),
  submitted_by      text NOT NULL,
  submitted_at      timestamptz NOT NULL DEFAULT now(),
  decided_by        text,
  decided_at        timestamptz,
  returned_reasons  jsonb,
  PRIMARY KEY (submission_id, version),
  CHECK ((status IN ('returned', 'accepted')) = (decided_at IS NOT NULL)),
  CHECK ((status = 'returned') = (returned_reasons IS NOT NULL))
);

-- What a version was sent with stays as it was sent: only its status and decision change.
CREATE FUNCTION carer_submission_version_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.submission_id <> OLD.submission_id OR NEW.version <> OLD.version
     OR NEW.profile <> OLD.profile OR NEW.submitted_by <> OLD.submitted_by
     OR NEW.submitted_at <> OLD.submitted_at THEN
    RAISE EXCEPTION 'a version of a carer submission is kept as it was sent (R3): % refused', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER carer_submission_versions_kept BEFORE UPDATE OR DELETE ON carer_submission_versions
  FOR EACH ROW EXECUTE FUNCTION carer_submission_version_keep();

-- The answer of a submission: its latest version's profile and, when that version was returned,
-- the reasons; the history of its versions oldest first.
CREATE FUNCTION carer_submission_json(s carer_submissions) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
           'id', s.id, 'agency_id', s.agency_id, 'status', s.status, 'version', s.version,
           'profile', latest.profile, 'carer_id', s.carer_id,
           'returned_reasons', latest.returned_reasons,
           'versions', (SELECT jsonb_agg(jsonb_build_object('version', v.version,
                                                            'submitted_at', iso_utc(v.submitted_at),
                                                            'submitted_by', v.submitted_by,
                                                            'status', v.status)
                                         ORDER BY v.version)
                          FROM carer_submission_versions v WHERE v.submission_id = s.id),
           'created_at', iso_utc(s.created_at), 'updated_at', iso_utc(s.updated_at))
    FROM carer_submission_versions latest
   WHERE latest.submission_id = s.id AND latest.version = s.version
$$;

-- The answer of one version, as it was sent and as it was decided.
CREATE FUNCTION carer_submission_version_json(v carer_submission_versions, agency text)
  RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
           'submission_id', v.submission_id, 'agency_id', agency, 'version', v.version,
           'status', v.status, 'profile', v.profile, 'submitted_at', iso_utc(v.submitted_at),
           'submitted_by', v.submitted_by, 'decided_at', iso_utc(v.decided_at),
           'decided_by', v.decided_by, 'returned_reasons', v.returned_reasons)
$$;

-- R1: the audit reader shows the field names, not the values, of case records; a carer's
-- profile is one (copied from 016, with carer_submission added).
CREATE OR REPLACE FUNCTION audit_changes_shown(resource_type text, changes jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
      WHEN changes IS NULL OR resource_type NOT IN ('child', 'carer', 'placement', 'allocation',
                                                    'action', 'document', 'match', 'meeting',
                                                    'stability_request', 'support_request',
                                                    'carer_notice', 'carer_submission')
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
