-- Policy settings an administrator changed (the defaults live with their rules in
-- domain/settings.c), actions with owners and due times, their history, and the events that
-- tell people what happened (S7: an overdue action is flagged to its owner).

CREATE TABLE setting_overrides (
  name        text PRIMARY KEY,
  value       bigint NOT NULL,
  updated_by  text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row: the version of the settings as a whole, for ETag and If-Match.
CREATE TABLE settings_version (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version   integer NOT NULL
);
INSERT INTO settings_version (version) VALUES (1);

CREATE TABLE actions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title          text NOT NULL,
  detail         text,
  subject_type   text NOT NULL CHECK (subject_type IN ('child', 'carer', 'match', 'panel', 'meeting')),
  subject_id     uuid NOT NULL,
  owner_id       text REFERENCES people (id),        -- null: the administrators' queue
  due_at         timestamptz NOT NULL,
  status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  source_rule    text,                                -- a POLICY.md ID; null for a manual action
  source_type    text,
  source_id      uuid,
  flagged_at     timestamptz,                         -- S7: past due, owner told
  recheck_at     timestamptz,                         -- S7: escalates if still open then
  escalations    integer NOT NULL DEFAULT 0,
  closed_at      timestamptz,
  closing_note   text,
  version        integer NOT NULL DEFAULT 1,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX actions_owner_open ON actions (owner_id, due_at) WHERE status = 'open';
CREATE INDEX actions_subject ON actions (subject_type, subject_id);
CREATE INDEX actions_sweep ON actions (due_at) WHERE status = 'open' AND flagged_at IS NULL;
CREATE INDEX actions_recheck ON actions (recheck_at) WHERE status = 'open';

-- Everything that happened to an action, oldest first; owner changes keep both owners.
CREATE TABLE action_history (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  action_id   uuid NOT NULL REFERENCES actions (id),
  at          timestamptz NOT NULL DEFAULT now(),
  event       text NOT NULL CHECK (event IN ('created', 'flagged', 'escalated', 'reassigned',
                                             'completed', 'cancelled')),
  from_owner  text,
  to_owner    text,
  note        text,
  by_sub      text                                    -- null: the service's own sweep
);
CREATE INDEX action_history_action ON action_history (action_id, id);

-- Events for the people and systems that must be told (an outbox: written in the transaction
-- of the change it reports).
CREATE TABLE events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type          text NOT NULL,
  subject_type  text NOT NULL,
  subject_id    text NOT NULL,
  recipient     text,                                 -- a person, or null for everyone allowed
  payload       jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_subject ON events (subject_type, subject_id);

CREATE FUNCTION action_json(a actions) RETURNS jsonb LANGUAGE sql STABLE AS $$
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
    'created_by', a.created_by, 'created_at', iso_utc(a.created_at),
    'history', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                  'at', iso_utc(h.at), 'event', h.event, 'from_owner', h.from_owner,
                  'to_owner', h.to_owner, 'note', h.note, 'by', h.by_sub) ORDER BY h.id), '[]')
                  FROM action_history h WHERE h.action_id = a.id))
$$;

-- Who sees an action: its owner, the owner's manager, an administrator, and those who may read
-- its subject (the IRO checks a child's actions, S6).
CREATE FUNCTION action_visible(a actions, person text, is_admin boolean, child_kinds text[],
                               carer_kinds text[], agency text) RETURNS boolean
  LANGUAGE sql STABLE AS $$
    SELECT a.owner_id = person
        OR is_admin
        OR EXISTS (SELECT 1 FROM people o WHERE o.id = a.owner_id AND o.manager_id = person)
        OR (a.subject_type = 'child' AND child_visible(a.subject_id, person, child_kinds))
        OR (a.subject_type = 'carer'
            AND EXISTS (SELECT 1 FROM carers c WHERE c.id = a.subject_id
                          AND carer_visible(c.id, c.agency_id, person, agency, carer_kinds)))
$$;
