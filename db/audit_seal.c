#include "audit_seal.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_BYTES 32

static const struct db_statement SEAL_LOCK = {
    "seal_lock", "SELECT pg_try_advisory_xact_lock(7461000002)"};
static const struct db_statement SEAL_LAST_LINK = {
    "seal_last_link",
    "SELECT seq, encode(hash, 'hex') FROM audit_chain ORDER BY seq DESC LIMIT 1"};
static const struct db_statement SEAL_PENDING = {
    "seal_pending",
    "SELECT a.id, audit_row_text(a) FROM audit_pending p JOIN audit_log a ON a.id = p.audit_id"
    " ORDER BY p.audit_id LIMIT $1::integer"};
static const struct db_statement SEAL_LINKS = {
    "seal_links",
    "WITH links AS (INSERT INTO audit_chain (seq, audit_id, prev_hash, hash)"
    "               SELECT s, a, decode(p, 'hex'), decode(h, 'hex')"
    "                 FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS l (s, a, p, h)"
    "               RETURNING audit_id)"
    "DELETE FROM audit_pending WHERE audit_id IN (SELECT audit_id FROM links)"};

static void to_hex(const unsigned char *bytes, char *hex) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < HASH_BYTES; i++) {
    hex[2 * i] = digits[bytes[i] >> 4];
    hex[2 * i + 1] = digits[bytes[i] & 15];
  }
  hex[2 * HASH_BYTES] = '\0';
}

static void from_hex(const char *hex, unsigned char *bytes) {
  for (size_t i = 0; i < HASH_BYTES; i++) {
    unsigned int v = 0;
    sscanf(hex + 2 * i, "%2x", &v);
    bytes[i] = (unsigned char)v;
  }
}

/* hash = SHA-256(prev || text), as audit_verify() computes it. */
static bool link_hash(const unsigned char *prev, const char *text, unsigned char *hash) {
  unsigned int length = 0;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  bool ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
            EVP_DigestUpdate(ctx, prev, HASH_BYTES) == 1 &&
            EVP_DigestUpdate(ctx, text, strlen(text)) == 1 &&
            EVP_DigestFinal_ex(ctx, hash, &length) == 1 && length == HASH_BYTES;
  EVP_MD_CTX_free(ctx);
  return ok;
}

/* The last link (sequence number and hash), or the genesis hash of audit_genesis_hash(). */
static bool last_link(struct db_conn *conn, long long *seq, unsigned char *hash) {
  PGresult *res = db_exec(conn, &SEAL_LAST_LINK, 0, NULL);
  bool ok = res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK;
  if (ok && PQntuples(res) == 1) {
    *seq = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    from_hex(PQgetvalue(res, 0, 1), hash);
  } else if (ok) {
    static const char genesis[] = "permanence audit chain";
    unsigned int length = 0;
    *seq = 0;
    ok = EVP_Digest(genesis, strlen(genesis), hash, &length, EVP_sha256(), NULL) == 1;
  }
  PQclear(res);
  return ok;
}

/* Appends "x" to an array literal being built ("{1,2" + ",3"). */
static void append_item(char *buf, size_t *used, const char *item) {
  *used += (size_t)sprintf(buf + *used, "%s%s", *used > 1 ? "," : "", item);
}

/* Hashes the pending rows of `res` onto the chain after (seq, prev) and writes the links. */
static int write_links(struct db_conn *conn, const PGresult *res, long long seq,
                       unsigned char *prev) {
  int n = PQntuples(res);
  size_t size = (size_t)n * (2 * HASH_BYTES + 24) + 16;
  char *seqs = malloc(size), *ids = malloc(size), *prevs = malloc(size), *hashes = malloc(size);
  int sealed = -1;
  if (seqs != NULL && ids != NULL && prevs != NULL && hashes != NULL) {
    size_t used_seqs = 1, used_ids = 1, used_prevs = 1, used_hashes = 1;
    strcpy(seqs, "{");
    strcpy(ids, "{");
    strcpy(prevs, "{");
    strcpy(hashes, "{");
    bool ok = true;
    for (int i = 0; ok && i < n; i++) {
      unsigned char hash[HASH_BYTES];
      char number[24], prev_hex[2 * HASH_BYTES + 1], hash_hex[2 * HASH_BYTES + 1];
      ok = link_hash(prev, PQgetvalue(res, i, 1), hash);
      snprintf(number, sizeof number, "%lld", seq + 1 + i);
      to_hex(prev, prev_hex);
      to_hex(hash, hash_hex);
      append_item(seqs, &used_seqs, number);
      append_item(ids, &used_ids, PQgetvalue(res, i, 0));
      append_item(prevs, &used_prevs, prev_hex);
      append_item(hashes, &used_hashes, hash_hex);
      memcpy(prev, hash, HASH_BYTES);
    }
    strcat(seqs, "}");
    strcat(ids, "}");
    strcat(prevs, "}");
    strcat(hashes, "}");
    const char *params[] = {seqs, ids, prevs, hashes};
    PGresult *written = ok ? db_exec(conn, &SEAL_LINKS, 4, params) : NULL;
    sealed = written != NULL && PQresultStatus(written) == PGRES_COMMAND_OK ? n : -1;
    PQclear(written);
  }
  free(seqs);
  free(ids);
  free(prevs);
  free(hashes);
  return sealed;
}

int audit_seal_batch(struct db_conn *conn, int batch) {
  if (!db_command(conn, "BEGIN")) {
    return -1;
  }
  char limit[16];
  snprintf(limit, sizeof limit, "%d", batch);
  const char *params[] = {limit};
  long long seq = 0;
  unsigned char prev[HASH_BYTES];
  int sealed = -1;
  PGresult *lock = db_exec(conn, &SEAL_LOCK, 0, NULL);
  PGresult *pending = NULL;
  if (lock != NULL && PQresultStatus(lock) == PGRES_TUPLES_OK) {
    if (strcmp(PQgetvalue(lock, 0, 0), "t") != 0) {
      sealed = 0;
    } else if (last_link(conn, &seq, prev) &&
               (pending = db_exec(conn, &SEAL_PENDING, 1, params)) != NULL &&
               PQresultStatus(pending) == PGRES_TUPLES_OK) {
      sealed = PQntuples(pending) == 0 ? 0 : write_links(conn, pending, seq, prev);
    }
  }
  PQclear(lock);
  PQclear(pending);
  if (sealed < 0 || !db_command(conn, "COMMIT")) {
    db_rollback_open(conn);
    return -1;
  }
  return sealed;
}
