-- Documents on file (issue: matching): what a case system holds about a child or a carer
-- (type, title, date, author, and a link or the case system's document id), not the file. The
-- newest of a type is "the most recent" (M2, M4, P4 ask for them).
CREATE TABLE documents (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_type          text NOT NULL CHECK (subject_type IN ('child', 'carer')),
  subject_id            uuid NOT NULL,
  type                  text NOT NULL,
  title                 text NOT NULL,
  document_date         date NOT NULL,
  author                text,
  link                  text,
  external_document_id  text,
  created_by            text NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  CHECK (link IS NOT NULL OR external_document_id IS NOT NULL)
);
CREATE INDEX documents_subject ON documents (subject_type, subject_id, type, document_date DESC, created_at DESC);

CREATE FUNCTION document_json(d documents) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', d.id, 'subject', jsonb_build_object('type', d.subject_type,
                                                                       'id', d.subject_id),
                            'type', d.type, 'title', d.title, 'date', d.document_date,
                            'author', d.author, 'link', d.link,
                            'external_document_id', d.external_document_id,
                            'created_by', d.created_by, 'created_at', iso_utc(d.created_at))
$$;
