/* CORS for the councils' browser front ends: only the origins of PERMANENCE_CORS_ORIGINS, each
 * named exactly (never a wildcard), with their preflight answered. Tokens travel in the
 * Authorization header, so cookies are never involved. */
#ifndef API_CORS_H
#define API_CORS_H

#include <stdbool.h>

#include "http.h"

/* An OPTIONS request: answers the preflight (204 with what the origin may send, or 403 for an
 * origin not allowed, or 404/405 for an unknown route) and returns true. False for any other
 * method. */
bool cors_preflight(struct request *r);

/* Adds Access-Control-Allow-Origin (and Vary, and the headers a page may read) to the answer
 * when the request comes from an allowed origin. */
void cors_decorate(struct request *r);

#endif
