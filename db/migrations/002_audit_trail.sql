-- R1: the append-only audit trail. Rows are written unsealed in the request's transaction; a
-- sealer links them into a hash chain (audit_chain) in commit order shortly after, so that the
-- chain never becomes a lock on the request path. The database refuses UPDATE, DELETE and
-- TRUNCATE on both tables (triggers, and privileges revoked from the owner too).

CREATE TABLE audit_log (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT clock_timestamp(),
  sub            text,
  roles          text[] NOT NULL DEFAULT '{}',
  method         text NOT NULL,
  route          text NOT NULL,
  resource_type  text,
  resource_id    text,
  status         integer NOT NULL,
  changes        jsonb,
  request_id     text
);
CREATE INDEX audit_log_resource ON audit_log (resource_type, resource_id, id);
CREATE INDEX audit_log_sub ON audit_log (sub, id);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE audit_chain (
  seq        bigint PRIMARY KEY,
  audit_id   bigint NOT NULL UNIQUE,  -- no foreign key: its check needs UPDATE rights on audit_log
  prev_hash  bytea NOT NULL,
  hash       bytea NOT NULL
);

-- Rows waiting for the sealer (this queue, unlike the trail, is consumed).
CREATE TABLE audit_pending (
  audit_id bigint PRIMARY KEY
);

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only (R1): % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

CREATE FUNCTION audit_queue_for_sealing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_pending (audit_id) VALUES (NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER audit_log_queue AFTER INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_queue_for_sealing();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_chain FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_chain FROM CURRENT_USER;

-- The canonical text of an audit row that its hash covers (independent of session settings).
CREATE FUNCTION audit_row_text(a audit_log) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_array(a.id, (extract(epoch FROM a.at) * 1000000)::bigint, a.sub, a.roles,
                           a.method, a.route, a.resource_type, a.resource_id, a.status,
                           a.changes, a.request_id)::text
$$;

CREATE FUNCTION audit_genesis_hash() RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT sha256(convert_to('permanence audit chain', 'UTF8'))
$$;

-- Seals up to `batch` pending rows in id order, one sealer at a time across instances.
-- Returns how many rows it sealed (0 when another sealer holds the lock).
CREATE FUNCTION audit_seal(batch integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  last_seq   bigint;
  last_hash  bytea;
  r          audit_log;
  n          integer := 0;
BEGIN
  IF NOT pg_try_advisory_xact_lock(7461000002) THEN
    RETURN 0;
  END IF;
  SELECT seq, hash INTO last_seq, last_hash FROM audit_chain ORDER BY seq DESC LIMIT 1;
  IF last_seq IS NULL THEN
    last_seq := 0;
    last_hash := audit_genesis_hash();
  END IF;
  FOR r IN SELECT a.* FROM audit_pending p JOIN audit_log a ON a.id = p.audit_id
            ORDER BY p.audit_id LIMIT batch LOOP
    INSERT INTO audit_chain (seq, audit_id, prev_hash, hash)
      VALUES (last_seq + 1, r.id, last_hash,
              sha256(last_hash || convert_to(audit_row_text(r), 'UTF8')));
    last_seq := last_seq + 1;
    last_hash := sha256(last_hash || convert_to(audit_row_text(r), 'UTF8'));
    DELETE FROM audit_pending WHERE audit_id = r.id;
    n := n + 1;
  END LOOP;
  RETURN n;
END $$;

-- Walks the chain in order and reports the first broken link, if any.
CREATE FUNCTION audit_verify(OUT ok boolean, OUT checked bigint, OUT unsealed bigint,
                             OUT broken_seq bigint, OUT broken_audit_id bigint,
                             OUT reason text) LANGUAGE plpgsql STABLE AS $$
DECLARE
  expected_prev  bytea := audit_genesis_hash();
  expected_seq   bigint := 1;
  c              record;
BEGIN
  ok := true;
  checked := 0;
  SELECT count(*) INTO unsealed FROM audit_pending;
  FOR c IN SELECT ch.seq, ch.audit_id, ch.prev_hash, ch.hash, a AS row
             FROM audit_chain ch LEFT JOIN audit_log a ON a.id = ch.audit_id
            ORDER BY ch.seq LOOP
    IF c.seq <> expected_seq THEN
      reason := format('sequence jumps from %s to %s', expected_seq - 1, c.seq);
    ELSIF (c.row).id IS NULL THEN
      reason := 'the audit row is missing';
    ELSIF c.prev_hash <> expected_prev THEN
      reason := 'prev_hash does not match the previous link';
    ELSIF c.hash <> sha256(c.prev_hash || convert_to(audit_row_text(c.row), 'UTF8')) THEN
      reason := 'the audit row does not match its hash';
    END IF;
    IF reason IS NOT NULL THEN
      ok := false;
      broken_seq := c.seq;
      broken_audit_id := c.audit_id;
      RETURN;
    END IF;
    checked := checked + 1;
    expected_prev := c.hash;
    expected_seq := c.seq + 1;
  END LOOP;
END $$;
