/*
 * contract_check.h - the contract pass of tests/run.sh. There PERMANENCE_TEST_URL is a Prism
 * proxy (tools/openapi) in front of the server: Prism forwards every request, checks it and the
 * server's answer against openapi.yaml and names each mismatch in an `sl-violations` header.
 * Outside that pass (PERMANENCE_TEST_CONTRACT unset) both functions do nothing.
 */
#ifndef API_TEST_CONTRACT_CHECK_H
#define API_TEST_CONTRACT_CHECK_H

#include "http_client.h"

/*
 * The base URL for `req` (with the extra header lines `extra`, NULL-terminated, or NULL), which
 * names no base of its own: PERMANENCE_TEST_URL, except in the contract pass for a request Prism
 * cannot forward as it was sent, which goes straight to the server (PERMANENCE_TEST_DIRECT_URL)
 * and is not checked: a JSON body that is malformed, has a duplicate key or is not in compact form
 * (Prism parses and re-serialises JSON bodies), a path with a percent-escape of a non-ASCII byte,
 * or two Authorization headers.
 */
const char *contract_base(const http_request *req, const char *const *extra);

/*
 * In the contract pass, fails the current test when Prism found that the answer breaks the
 * contract, or that the request breaks it although the server accepted it (status below 400).
 * A request that breaks the contract and that the server refused is what a test of the server's
 * own validation sends, and is not a failure; nor is a CORS preflight (OPTIONS), which the
 * contract describes in prose rather than as operations.
 */
void contract_check(const http_response *res);

#endif
