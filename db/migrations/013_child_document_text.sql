-- Issue 4: a child's record is read far more often than it is written. Its JSON text is kept
-- beside the document, computed by PostgreSQL on every write, so that a read or a page copies
-- text instead of rendering the document again (api/record_json.c splices it into the answer).
ALTER TABLE children ADD COLUMN doc_text text GENERATED ALWAYS AS (doc::text) STORED;
