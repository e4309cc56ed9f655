/*
 * http_client.h - a small libcurl wrapper for the black-box API tests.
 *
 * Each call sends one request and returns the status, the header lines and the body (raw, and
 * parsed when it is JSON). The caller owns the response and frees it with http_response_free().
 * A transport failure (refused, timed out) is not a test failure here: status is then 0 and
 * curl_code says why, so the test's own status assertion reports it.
 */
#ifndef API_TEST_HTTP_CLIENT_H
#define API_TEST_HTTP_CLIENT_H

#include <stddef.h>
#include <curl/curl.h>
#include <jansson.h>

/* Every request gives up after this long, so a hanging server fails a test instead of hanging. */
#define HTTP_TIMEOUT_SECONDS 10L

typedef struct http_response {
    long status;                /* HTTP status; 0 when no response arrived */
    int curl_code;              /* CURLcode of the transfer, 0 on success */
    char what[512];             /* "METHOD URL", for failure messages */
    char *body;                 /* NUL-terminated body, never NULL */
    size_t body_len;
    struct curl_slist *headers; /* header lines of the final response, CR/LF stripped */
    json_t *json;               /* the body parsed as JSON, NULL when it is not JSON */
} http_response;

typedef struct http_request {
    const char *method;       /* "GET", "POST", "PATCH", "DELETE", ... */
    const char *base;         /* base URL; NULL means PERMANENCE_TEST_URL */
    const char *path;         /* path and query, e.g. "/v1/children?limit=5" */
    const char *token;        /* bearer token; NULL sends no Authorization header */
    const char *content_type; /* NULL means application/json when a body is sent */
    const char *body;         /* NULL sends no body */
    size_t body_len;          /* 0 means strlen(body) */
    const char *if_match;     /* If-Match value, NULL for none */
    const char *extra_header; /* one more raw header line ("Name: value"), NULL for none */
    long timeout_seconds;     /* 0 means HTTP_TIMEOUT_SECONDS (a long import may need more) */
} http_request;

/* Sends `req` and returns the response (see the file comment for ownership). */
http_response http_send(const http_request *req);

/*
 * Like http_send, with more raw header lines ("Origin: https://a.example"), `headers` ending with
 * NULL (NULL itself: none). For requests needing several headers, e.g. a CORS preflight.
 */
http_response http_send_headers(const http_request *req, const char *const *headers);

/*
 * A connection kept open across requests (HTTP keep-alive), for a test that sends many: open it
 * with http_session_open(), send with http_session_send() (as http_send_headers), close it with
 * http_session_close(). One session belongs to one thread.
 */
typedef struct http_session http_session;

http_session *http_session_open(void);
http_response http_session_send(http_session *session, const http_request *req,
                                const char *const *headers);
void http_session_close(http_session *session);

/* GET base-URL + formatted path with an optional bearer token. */
http_response http_get(const char *token, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * POST `body` as application/json to the formatted path. Steals the reference to `body` (like
 * jansson's "o"), so `http_post(tok, json_pack(...), "/v1/people")` leaks nothing.
 */
http_response http_post(const char *token, json_t *body, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * POST `body` as application/json with If-Match `if_match` (a state change). Steals `body`.
 */
http_response http_post_if_match(const char *token, const char *if_match, json_t *body,
                                 const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * PATCH `body` as application/merge-patch+json with If-Match `if_match` (NULL: no header).
 * Steals the reference to `body`.
 */
http_response http_patch(const char *token, const char *if_match, json_t *body,
                         const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Returns the value of the first header called `name` (case-insensitive), leading blanks
 * skipped, or NULL when absent. The string lives as long as the response.
 */
const char *http_header(const http_response *res, const char *name);

/* Percent-encodes `s` for a query string. The caller frees the result with free(). */
char *http_escape(const char *s);

/* Frees everything the response holds and zeroes it; safe to call twice. */
void http_response_free(http_response *res);

#endif
