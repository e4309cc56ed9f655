/*
 * tokens.h - minting JWTs (good ones and deliberately bad ones) for the API tests.
 *
 * A token_spec describes the claims and the signing; token_spec_for() gives a valid HS256 token
 * for the configured issuer and audience, which a test then spoils one field at a time.
 */
#ifndef API_TEST_TOKENS_H
#define API_TEST_TOKENS_H

#include <stddef.h>

typedef enum token_alg {
    TOKEN_HS256,        /* HMAC with spec.hs_key, or PERMANENCE_TEST_JWT_SECRET when NULL */
    TOKEN_RS256,        /* RSA with the private key at PERMANENCE_TEST_RS_PRIVATE_KEY */
    TOKEN_NONE          /* "alg": "none", empty signature, built by hand */
} token_alg;

typedef struct token_spec {
    const char *sub;          /* NULL: no sub claim */
    char roles_json[256];     /* JSON array text for roles; empty: no roles claim */
    const char *agency_id;    /* NULL: no agency_id claim */
    long exp_offset;          /* exp = now + exp_offset (seconds) */
    int omit_exp;             /* non-zero: no exp claim */
    int has_nbf;              /* non-zero: nbf = now + nbf_offset */
    long nbf_offset;
    const char *iss;          /* NULL: PERMANENCE_TEST_JWT_ISSUER */
    const char *aud_json;     /* JSON text for aud (string or array); NULL: the configured one */
    token_alg alg;
    const unsigned char *hs_key; /* HS256 key bytes; NULL: the configured secret */
    size_t hs_key_len;
} token_spec;

/* A spec for a valid HS256 token of `sub` holding the single role `role` (NULL: no roles). */
token_spec token_spec_for(const char *sub, const char *role);

/*
 * Mints the token `spec` describes. Returns a new string the caller frees with free(); fails
 * the current test when libjwt refuses.
 */
char *token_mint(const token_spec *spec);

/*
 * Mints the token for `spec`, then swaps its payload for one whose sub is `forged_sub` while
 * keeping the original header and signature. The caller frees the result.
 */
char *token_mint_forged(const token_spec *spec, const char *forged_sub);

/* Copies a freshly minted token for `spec` into `out` (fails the test when it does not fit). */
void token_mint_into(const token_spec *spec, char *out, size_t size);

#endif
