-- Webhooks (issue 7): an administrator's subscriptions to the change feed, and their deliveries.
-- The delivery task (api/webhook_delivery.c) queues one delivery per (subscription, sequenced
-- event of a type the subscription takes), in seq order, behind a per-subscription cursor, and
-- sends each subscription's deliveries one at a time in that order. Every attempt is written
-- before and after it is made: a restart loses nothing. Nothing here is deleted (R3): a
-- subscription is deactivated.

CREATE TABLE webhooks (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  url             text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
  events          text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 50),
  -- the HMAC key of the signatures: kept to sign with, never shown
  secret          text NOT NULL CHECK (length(secret) >= 32),
  active          boolean NOT NULL DEFAULT true,
  -- the delivery task's cursor: the events up to this seq have been looked at (and queued when
  -- their type matched); a new subscription starts at the feed's end when it was created
  after_seq       bigint NOT NULL,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  deactivated_by  text,
  deactivated_at  timestamptz
);
CREATE INDEX webhooks_active ON webhooks (id) WHERE active;

CREATE TABLE webhook_deliveries (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  webhook_id        uuid NOT NULL REFERENCES webhooks (id),
  event_id          bigint NOT NULL REFERENCES events (id),
  seq               bigint NOT NULL,
  event_type        text NOT NULL,
  status            text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts          integer NOT NULL DEFAULT 0,  -- every attempt ever made
  failures          integer NOT NULL DEFAULT 0,  -- failed attempts since queued: the backoff's step
  resends           integer NOT NULL DEFAULT 0,  -- an attempt counts only if no resend came since
  queued_at         timestamptz NOT NULL DEFAULT now(), -- the retry window starts here (again
                                                        -- at a resend)
  next_attempt_at   timestamptz NOT NULL DEFAULT now(),
  last_attempt_at   timestamptz,
  last_status_code  integer,
  last_error        text,
  delivered_at      timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (webhook_id, seq)
);
-- a subscription's next delivery: its pending one with the smallest seq
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (webhook_id, seq)
  WHERE status = 'pending';

CREATE FUNCTION webhook_json(w webhooks) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', w.id, 'url', w.url, 'events', to_jsonb(w.events), 'active', w.active,
    'created_by', w.created_by, 'created_at', iso_utc(w.created_at),
    'deactivated_by', w.deactivated_by, 'deactivated_at', iso_utc(w.deactivated_at))
$$;

CREATE FUNCTION webhook_delivery_json(d webhook_deliveries) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', d.id, 'webhook_id', d.webhook_id, 'seq', d.seq, 'event_type', d.event_type,
    'status', d.status, 'attempts', d.attempts, 'last_status_code', d.last_status_code,
    'last_error', d.last_error, 'last_attempt_at', iso_utc(d.last_attempt_at),
    'next_attempt_at', CASE WHEN d.status = 'pending' THEN iso_utc(d.next_attempt_at) END,
    'delivered_at', iso_utc(d.delivered_at), 'created_at', iso_utc(d.created_at))
$$;

-- The events the webhook routes' audit rows announce (017's change feed).
INSERT INTO change_event_types (method, route, resource_type, event_type) VALUES
  ('POST', '/v1/webhooks', 'webhook', 'webhook.created'),
  ('DELETE', '/v1/webhooks/:id', 'webhook', 'webhook.deactivated'),
  ('POST', '/v1/webhooks/:id/deliveries/:delivery/resend', 'webhook', 'webhook.delivery_resent');
