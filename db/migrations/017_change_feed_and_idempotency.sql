-- Integration (issue 7): the change feed in commit order, an event for every change, and the
-- answers kept for Idempotency-Key retries.

-- An event's place in the feed, given by the service's sequencer after the event's transaction
-- committed (api/event_feed.c): a reader that has seen seq N never later finds a smaller one.
ALTER TABLE events ADD COLUMN seq bigint;
CREATE UNIQUE INDEX events_seq ON events (seq);
CREATE INDEX events_unsequenced ON events (id) WHERE seq IS NULL;

-- The event each audited write announces (a write's audit row is in the write's transaction,
-- so its event is too), for the audit row's kind of record. NULL: the handler writes a more
-- precise event itself. A write missing here announces "<resource type>.recorded" (POST),
-- ".updated" (PATCH) or ".removed" (DELETE).
CREATE TABLE change_event_types (
  method         text NOT NULL,
  route          text NOT NULL,
  resource_type  text NOT NULL,
  event_type     text,
  PRIMARY KEY (method, route, resource_type)
);
INSERT INTO change_event_types (method, route, resource_type, event_type) VALUES
  ('POST', '/v1/people', 'person', 'person.created'),
  ('PATCH', '/v1/people/:id', 'person', 'person.updated'),
  ('POST', '/v1/children', 'child', 'child.created'),
  ('PATCH', '/v1/children/:id', 'child', 'child.updated'),
  ('POST', '/v1/children/:id/allocations', 'allocation', 'allocation.created'),
  ('POST', '/v1/children/:id/documents', 'document', 'document.added'),
  ('POST', '/v1/children/:id/stability-requests', 'stability_request', 'stability.requested'),
  ('POST', '/v1/carers', 'carer', 'carer.created'),
  ('PATCH', '/v1/carers/:id', 'carer', 'carer.updated'),
  ('POST', '/v1/carers/:id/allocations', 'allocation', 'allocation.created'),
  ('POST', '/v1/carers/:id/documents', 'document', 'document.added'),
  ('POST', '/v1/carers/:id/support-requests', 'support_request', 'support.requested'),
  ('POST', '/v1/placements', 'placement', 'placement.started'),
  ('POST', '/v1/placements/:id/end', 'placement', 'placement.ended'),
  ('POST', '/v1/placements/:id/unplanned-ending-waiver', 'placement', 'placement.unplanned_meeting_waived'),
  ('POST', '/v1/placements/:id/carer-notice', 'carer_notice', 'carer_notice.wish_recorded'),
  ('POST', '/v1/placements/:id/carer-notice/discussion', 'carer_notice', 'carer_notice.wish_discussed'),
  ('POST', '/v1/placements/:id/notice', 'carer_notice', 'carer_notice.notice_given'),
  ('POST', '/v1/meetings', 'meeting', NULL),
  ('POST', '/v1/meetings/:id/held', 'meeting', NULL),
  ('POST', '/v1/meetings/:id/minutes', 'meeting', 'meeting.minutes_recorded'),
  ('POST', '/v1/meetings/:id/circulate', 'meeting', 'meeting.minutes_circulated'),
  ('POST', '/v1/meetings/:id/actions', 'meeting', 'meeting.plan_recorded'),
  ('POST', '/v1/matches', 'match', 'match.started'),
  ('POST', '/v1/matches/:id/propose', 'match', 'match.proposed'),
  ('POST', '/v1/matches/:id/withdraw', 'match', 'match.withdrawn'),
  ('POST', '/v1/matches/:id/fee-discussion', 'match', 'match.fee_discussed'),
  ('POST', '/v1/matches/:id/submit', 'match', NULL),
  ('POST', '/v1/matches/:id/decision', 'match', NULL),
  ('POST', '/v1/matches/:id/decision/circulated', 'match', 'match.decision_circulated'),
  ('POST', '/v1/panels', 'panel', 'panel.scheduled'),
  ('POST', '/v1/panels/:id/members', 'panel', 'panel.member_added'),
  ('POST', '/v1/panels/:id/attendance', 'panel', 'panel.attendance_recorded'),
  ('POST', '/v1/panels/:id/items', 'panel', 'panel.item_listed'),
  ('POST', '/v1/panels/:id/papers/circulate', 'panel', 'panel.papers_circulated'),
  ('POST', '/v1/panels/:id/items/:item/late-papers', 'panel_item', 'panel_item.late_papers_accepted'),
  ('POST', '/v1/panels/:id/items/:item/recommendation', 'panel_item', 'panel_item.recommended'),
  ('PATCH', '/v1/settings', 'settings', 'settings.updated'),
  ('POST', '/v1/calendar/closures', 'closure', 'calendar.closure_added'),
  ('DELETE', '/v1/calendar/closures/:date', 'closure', 'calendar.closure_removed'),
  ('POST', '/v1/actions', 'action', NULL),
  ('POST', '/v1/actions/sweep', 'action', NULL),
  ('POST', '/v1/actions/:id/complete', 'action', 'action.completed'),
  ('POST', '/v1/actions/:id/cancel', 'action', 'action.cancelled'),
  ('POST', '/v1/actions/:id/reassign', 'action', 'action.reassigned');

CREATE FUNCTION change_event_from_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  announced text;
  known boolean := false;
BEGIN
  SELECT t.event_type, true INTO announced, known
    FROM change_event_types t
   WHERE t.method = NEW.method AND t.route = NEW.route AND t.resource_type = NEW.resource_type;
  IF NOT coalesce(known, false) THEN
    announced := coalesce(NEW.resource_type, 'service')
                 || CASE NEW.method WHEN 'POST' THEN '.recorded' WHEN 'PATCH' THEN '.updated'
                                    WHEN 'DELETE' THEN '.removed' ELSE '.changed' END;
  END IF;
  IF announced IS NOT NULL THEN
    INSERT INTO events (type, subject_type, subject_id, payload)
    VALUES (announced, coalesce(NEW.resource_type, 'service'),
            coalesce(NEW.resource_id, NEW.resource_type, 'service'),
            jsonb_build_object('by', NEW.sub, 'request_id', NEW.request_id));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER audit_log_announces_changes AFTER INSERT ON audit_log
  FOR EACH ROW WHEN (NEW.method <> 'GET' AND NEW.status BETWEEN 200 AND 299)
  EXECUTE FUNCTION change_event_from_audit();

-- The child or the carer an event's record belongs to (what decides who may see the event).
CREATE FUNCTION event_record_owner(kind text, record text, OUT child uuid, OUT carer uuid)
  LANGUAGE sql STABLE AS $$
  SELECT CASE kind
           WHEN 'child' THEN record::uuid
           WHEN 'placement' THEN (SELECT p.child_id FROM placements p WHERE p.id = record::uuid)
           WHEN 'carer_notice' THEN (SELECT p.child_id FROM placements p WHERE p.id = record::uuid)
           WHEN 'meeting' THEN (SELECT m.child_id FROM meetings m WHERE m.id = record::uuid)
           WHEN 'match' THEN (SELECT m.child_id FROM matches m WHERE m.id = record::uuid)
           WHEN 'stability_request' THEN (SELECT s.child_id FROM stability_requests s
                                           WHERE s.id = record::uuid)
           WHEN 'allocation' THEN (SELECT a.child_id FROM allocations a WHERE a.id = record::uuid)
           WHEN 'document' THEN (SELECT d.subject_id FROM documents d
                                  WHERE d.id = record::uuid AND d.subject_type = 'child')
         END,
         CASE kind
           WHEN 'carer' THEN record::uuid
           WHEN 'support_request' THEN (SELECT s.carer_id FROM support_requests s
                                         WHERE s.id = record::uuid)
           WHEN 'allocation' THEN (SELECT a.carer_id FROM allocations a WHERE a.id = record::uuid)
           WHEN 'document' THEN (SELECT d.subject_id FROM documents d
                                  WHERE d.id = record::uuid AND d.subject_type = 'carer')
         END
$$;

-- Whether `person` may see an event (GET /v1/events): one addressed to them, or one about a
-- record they reach; an administrator sees every event (ids and types only: the feed is for
-- case systems that mirror the records, never the records' content).
CREATE FUNCTION event_visible(e events, person text, is_admin boolean, reads_panels boolean,
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

-- Idempotency-Key: the first answer to a POST, kept for 24 hours and given again to a retry
-- with the same key and body (the caller's own keys only).
CREATE TABLE idempotency_keys (
  sub            text NOT NULL,
  key            text NOT NULL,
  method         text NOT NULL,
  path           text NOT NULL,
  body_sha256    text NOT NULL,
  status         integer,          -- null while the first request is still being answered
  content_type   text,
  body           text,
  location       text,
  etag           text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sub, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
