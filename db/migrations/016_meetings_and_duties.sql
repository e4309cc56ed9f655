-- Meetings (P2, S1-S9, U1-U4, P7, L1-L2), the recurring duties actions belong to, requests for
-- stability meetings and for carers' support, a carer's wish to end a placement, and the
-- unplanned-ending facts kept on a placement.

-- The recurring duty an action belongs to (domain/duties.h names them); null for a one-off.
ALTER TABLE actions ADD COLUMN duty text
  CHECK (duty IN ('cic_review', 'sw_visit', 'supervision_visit', 'life_story_review',
                  'annual_joint_visit', 'joint_letter'));
CREATE INDEX actions_subject_open_rule ON actions (subject_id, source_rule) WHERE status = 'open';

CREATE OR REPLACE FUNCTION action_summary_json(a actions) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', a.id, 'title', a.title, 'detail', a.detail,
    'subject', jsonb_build_object('type', a.subject_type, 'id', a.subject_id),
    'owner_id', a.owner_id, 'owner_queue', CASE WHEN a.owner_id IS NULL THEN 'admin' END,
    'due_at', iso_utc(a.due_at), 'status', a.status, 'source_rule', a.source_rule,
    'source', CASE WHEN a.source_type IS NULL THEN NULL
                   ELSE jsonb_build_object('type', a.source_type, 'id', a.source_id) END,
    'duty', a.duty,
    'flagged_at', iso_utc(a.flagged_at), 'recheck_at', iso_utc(a.recheck_at),
    'escalations', a.escalations, 'closed_at', iso_utc(a.closed_at),
    'closing_note', a.closing_note, 'version', a.version,
    'created_by', a.created_by, 'created_at', iso_utc(a.created_at))
$$;

CREATE TABLE meetings (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type            text NOT NULL CHECK (type IN ('ppm', 'stability', 'stability_review',
                                                'joint_visit', 'unplanned_ending',
                                                'placement_planning', 'cic_review',
                                                'life_story_review', 'annual_joint_visit')),
  child_id        uuid NOT NULL REFERENCES children (id),
  carer_id        uuid REFERENCES carers (id),
  placement_id    uuid REFERENCES placements (id),
  scheduled_at    timestamptz NOT NULL,
  chair_id        text NOT NULL REFERENCES people (id),
  status          text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'held')),
  held_on         date,
  attendees       jsonb NOT NULL DEFAULT '[]',
  child_views     text,
  carer_views     text,
  learning        text,
  outcome         text,
  minutes         jsonb,
  minutes_due_at  timestamptz,
  circulated_at   timestamptz,
  version         integer NOT NULL DEFAULT 1,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'held') = (held_on IS NOT NULL)),
  CHECK (circulated_at IS NULL OR minutes IS NOT NULL),
  CHECK (type <> 'unplanned_ending' OR placement_id IS NOT NULL)
);
CREATE INDEX meetings_child ON meetings (child_id, scheduled_at, id);
CREATE INDEX meetings_carer ON meetings (carer_id) WHERE carer_id IS NOT NULL;

CREATE FUNCTION meeting_json(m meetings) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', m.id, 'type', m.type, 'child_id', m.child_id, 'carer_id', m.carer_id,
    'placement_id', m.placement_id, 'scheduled_at', iso_utc(m.scheduled_at),
    'chair_id', m.chair_id, 'status', m.status, 'held_on', m.held_on,
    'attendees', m.attendees, 'child_views', m.child_views, 'carer_views', m.carer_views,
    'learning', m.learning, 'outcome', m.outcome, 'minutes', m.minutes,
    'minutes_due_at', iso_utc(m.minutes_due_at), 'circulated_at', iso_utc(m.circulated_at),
    'minutes_late', CASE WHEN m.circulated_at IS NULL OR m.minutes_due_at IS NULL THEN NULL
                         ELSE m.circulated_at > m.minutes_due_at END,
    'version', m.version, 'created_by', m.created_by, 'created_at', iso_utc(m.created_at))
$$;

-- S1: who asked for a stability meeting, for whom, and why.
CREATE TABLE stability_requests (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  child_id      uuid NOT NULL REFERENCES children (id),
  reason        text NOT NULL,
  raised_by     jsonb,
  requested_by  text NOT NULL,
  requested_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stability_requests_child ON stability_requests (child_id);

-- V2: a carer's request for support.
CREATE TABLE support_requests (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  carer_id      uuid NOT NULL REFERENCES carers (id),
  serious       boolean NOT NULL,
  detail        text NOT NULL,
  requested_by  text NOT NULL,
  requested_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX support_requests_carer ON support_requests (carer_id);

-- S9: a carer's wish to end a placement, its discussion with the SSW and their team manager,
-- and the notice the fostering service gives after it.
CREATE TABLE carer_notices (
  placement_id              uuid PRIMARY KEY REFERENCES placements (id),
  wish_reason               text NOT NULL,
  wish_recorded_by          text NOT NULL,
  wish_recorded_at          timestamptz NOT NULL DEFAULT now(),
  discussed_on              date,
  discussion_ssw_id         text REFERENCES people (id),
  discussion_team_manager_id text REFERENCES people (id),
  discussion_notes          text,
  discussion_recorded_by    text,
  notice_given_on           date,
  notice_reason             text,
  notice_given_by           text,
  CHECK ((discussed_on IS NULL) = (discussion_ssw_id IS NULL)),
  CHECK (notice_given_on IS NULL OR discussed_on IS NOT NULL)
);

CREATE FUNCTION carer_notice_json(n carer_notices) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'placement_id', n.placement_id,
    'carer_wish', jsonb_build_object('reason', n.wish_reason, 'recorded_by', n.wish_recorded_by,
                                     'recorded_at', iso_utc(n.wish_recorded_at)),
    'discussion', CASE WHEN n.discussed_on IS NULL THEN NULL
                       ELSE jsonb_build_object('held_on', n.discussed_on,
                                               'ssw_id', n.discussion_ssw_id,
                                               'team_manager_id', n.discussion_team_manager_id,
                                               'notes', n.discussion_notes,
                                               'recorded_by', n.discussion_recorded_by) END,
    'notice', CASE WHEN n.notice_given_on IS NULL THEN NULL
                   ELSE jsonb_build_object('given_on', n.notice_given_on,
                                           'reason', n.notice_reason,
                                           'given_by', n.notice_given_by) END)
$$;

-- U1: the window of the unplanned-ending meeting, fixed when the placement ends; U2: its waiver.
ALTER TABLE placements
  ADD COLUMN u1_earliest_on date,
  ADD COLUMN u1_latest_on date,
  ADD COLUMN u1_waiver_reason text,
  ADD COLUMN u1_waived_by text,
  ADD COLUMN u1_waived_at timestamptz,
  ADD CONSTRAINT placements_u1_window CHECK ((u1_earliest_on IS NULL) = (u1_latest_on IS NULL)),
  ADD CONSTRAINT placements_u1_waiver CHECK (u1_waiver_reason IS NULL OR u1_latest_on IS NOT NULL);

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
                            'version', p.version, 'created_at', iso_utc(p.created_at))
$$;

-- U4 and P5: an unplanned ending is heard at Part 2 of the permanence panel.
ALTER TABLE panel_items ADD COLUMN placement_id uuid REFERENCES placements (id);
ALTER TABLE panel_items DROP CONSTRAINT panel_items_type_check;
ALTER TABLE panel_items ADD CONSTRAINT panel_items_type_check
  CHECK (type IN ('match', 'permanence_plan_review', 'resource_request', 'home_search',
                  'iro_review', 'unplanned_ending'));
ALTER TABLE panel_items DROP CONSTRAINT panel_items_check1;
ALTER TABLE panel_items ADD CONSTRAINT panel_items_part_of_type
  CHECK ((type IN ('match', 'unplanned_ending')) = (part = 2));
ALTER TABLE panel_items ADD CONSTRAINT panel_items_ending_placement
  CHECK ((type = 'unplanned_ending') = (placement_id IS NOT NULL));

CREATE OR REPLACE FUNCTION panel_item_json(i panel_items) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', i.id, 'panel_id', i.panel_id, 'part', i.part, 'type', i.type, 'match_id', i.match_id, 'placement_id', i.placement_id,
    'child_id', i.child_id, 'carer_id', i.carer_id, 'summary', i.summary,
    'care_history_explanation', i.care_history_explanation, 'status', i.status,
    'papers_circulated_at', iso_utc(i.papers_circulated_at),
    'late_papers', CASE WHEN i.late_papers_reason IS NULL THEN NULL
                        ELSE jsonb_build_object('reason', i.late_papers_reason,
                                                'accepted_by', i.late_papers_accepted_by,
                                                'accepted_at', iso_utc(i.late_papers_accepted_at))
                   END,
    'documents', i.documents, 'recommendation', i.recommendation, 'version', i.version,
    'created_by', i.created_by, 'created_at', iso_utc(i.created_at))
$$;

-- R1: the audit trail's reader sees which fields of these case records changed, not their values.
CREATE OR REPLACE FUNCTION audit_changes_shown(resource_type text, changes jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
      WHEN changes IS NULL OR resource_type NOT IN ('child', 'carer', 'placement', 'allocation',
                                                    'action', 'document', 'match', 'meeting',
                                                    'stability_request', 'support_request',
                                                    'carer_notice')
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

-- R2: a chronology's cursor names an instant to the microsecond, as timestamps are stored.
CREATE FUNCTION epoch_microseconds(t timestamptz) RETURNS bigint
  LANGUAGE sql IMMUTABLE AS $$ SELECT (extract(epoch FROM t) * 1000000)::bigint $$;

-- R2: a day of a chronology begins at London midnight.
CREATE FUNCTION london_day_start(d date) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE AS $$ SELECT d::timestamp AT TIME ZONE 'Europe/London' $$;
