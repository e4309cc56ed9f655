-- The hearing of a match or a Part 1 request at a panel, the recommendation, the decision maker's
-- decision and its circulation: M4-M12, P4-P5.

-- M4: a support plan names the support it covers.
ALTER TABLE documents ADD COLUMN covers text[] NOT NULL DEFAULT '{}';

CREATE OR REPLACE FUNCTION document_json(d documents) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', d.id, 'subject', jsonb_build_object('type', d.subject_type,
                                                                       'id', d.subject_id),
                            'type', d.type, 'title', d.title, 'date', d.document_date,
                            'author', d.author, 'link', d.link,
                            'external_document_id', d.external_document_id,
                            'covers', to_jsonb(d.covers),
                            'created_by', d.created_by, 'created_at', iso_utc(d.created_at))
$$;

-- M7a: the panel's agency decision maker (null: the administrators' queue receives the action).
ALTER TABLE panels ADD COLUMN decision_maker_id text REFERENCES people (id);

CREATE OR REPLACE FUNCTION panel_json(p panels) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', p.id, 'date', p.panel_date, 'kind', p.kind, 'part', p.part,
    'decision_maker_id', p.decision_maker_id, 'version', p.version,
    'created_by', p.created_by, 'created_at', iso_utc(p.created_at),
    'last_of_month', NOT EXISTS (SELECT 1 FROM panels o
                                  WHERE o.kind = p.kind AND o.panel_date > p.panel_date
                                    AND date_trunc('month', o.panel_date) = date_trunc('month', p.panel_date)),
    'members', (SELECT coalesce(jsonb_agg(jsonb_build_object('person_id', m.person_id,
                                                             'seat', m.seat,
                                                             'attended', m.attended)
                                          ORDER BY m.seat, m.person_id), '[]')
                  FROM panel_members m WHERE m.panel_id = p.id))
$$;

-- An agenda item: a submitted match (Part 2) or a Part 1 request (P5).
CREATE TABLE panel_items (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  panel_id                  uuid NOT NULL REFERENCES panels (id),
  part                      integer NOT NULL CHECK (part IN (1, 2)),
  type                      text NOT NULL CHECK (type IN ('match', 'permanence_plan_review',
                                                          'resource_request', 'home_search',
                                                          'iro_review')),
  match_id                  uuid REFERENCES matches (id),
  child_id                  uuid NOT NULL REFERENCES children (id),
  carer_id                  uuid REFERENCES carers (id),
  summary                   text,
  care_history_explanation  text,
  documents                 jsonb NOT NULL DEFAULT '[]',  -- the papers on file when listed
  status                    text NOT NULL DEFAULT 'listed'
                            CHECK (status IN ('listed', 'recommended', 'deferred', 'withdrawn')),
  papers_circulated_at      timestamptz,
  late_papers_reason        text,
  late_papers_accepted_by   text,
  late_papers_accepted_at   timestamptz,
  recommendation            jsonb,
  version                   integer NOT NULL DEFAULT 1,
  created_by                text NOT NULL,
  created_at                timestamptz NOT NULL DEFAULT now(),
  CHECK ((type = 'match') = (match_id IS NOT NULL)),
  CHECK ((type = 'match') = (part = 2)),
  CHECK ((status = 'recommended') <= (recommendation IS NOT NULL))
);
CREATE INDEX panel_items_panel ON panel_items (panel_id, id);
CREATE INDEX panel_items_match ON panel_items (match_id) WHERE match_id IS NOT NULL;
-- A match is on one panel's agenda at a time.
CREATE UNIQUE INDEX panel_items_one_listed_match ON panel_items (match_id)
  WHERE status = 'listed' AND match_id IS NOT NULL;

CREATE FUNCTION panel_item_json(i panel_items) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', i.id, 'panel_id', i.panel_id, 'part', i.part, 'type', i.type, 'match_id', i.match_id,
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

-- The match's way through panel and decision.
ALTER TABLE matches DROP CONSTRAINT matches_status_check;
ALTER TABLE matches ADD CONSTRAINT matches_status_check
  CHECK (status IN ('family_finding', 'proposed', 'submitted', 'recommended', 'agreed',
                    'not_agreed', 'withdrawn'));
ALTER TABLE matches DROP CONSTRAINT matches_check;
ALTER TABLE matches ADD CONSTRAINT matches_carer_after_finding
  CHECK (status IN ('family_finding', 'withdrawn') OR carer_id IS NOT NULL);
ALTER TABLE matches
  ADD COLUMN panel_item_id           uuid REFERENCES panel_items (id),
  ADD COLUMN fee_discussion          jsonb,   -- M11
  ADD COLUMN decision_agreed         boolean, -- M7
  ADD COLUMN decision_reasons        text,
  ADD COLUMN decided_by              text,
  ADD COLUMN decided_at              timestamptz,
  ADD COLUMN decision_circulated_at  timestamptz,
  ADD CONSTRAINT matches_decided
    CHECK ((status IN ('agreed', 'not_agreed')) <= (decided_at IS NOT NULL));

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
                            'version', m.version,
                            'created_by', m.created_by, 'created_at', iso_utc(m.created_at),
                            'updated_at', iso_utc(m.updated_at))
    FROM (SELECT NULL) one LEFT JOIN panel_items i ON i.id = m.panel_item_id
$$;
