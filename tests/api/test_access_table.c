/*
 * test_access_table.c - every route x every role x own/other record, from one table:
 * tests/api/access_table.tsv says, for each route of api/routes.c and each role of
 * domain/roles.c, what a caller of that role gets on their own record and on another's, as
 * POLICY.md ("Roles") and the README promise it and nothing more.
 *
 * One place: the test reads api/routes.c and domain/roles.c at run time (the runner runs from
 * the repository's root) and fails when a route has no row, a row names no route, or the
 * table's columns are not exactly the roles. So a new route cannot be added without its row.
 *
 * The world: two worlds of the same shape (access_world.h), built once. The callers are the
 * first world's people, one per role; "own" is the first world's record (the child allocated
 * to the CSW, the carer the SSW supervises, the panel the chair sits on, the agency's own
 * submission, ...), "other" the second world's.
 *
 * The outcomes: `ok` is allowed; `403` is a refusal of what the caller's roles may do (problem
 * "forbidden": the route never allows the role, or the role sees the record but may not do
 * this to it, or a rule such as M1 refuses it here); `404` is a record that exists but is not
 * the caller's (problem "not-found"). A cell `a/b`
 * gives the own and the other outcome; a single value is both (or the one outcome of a route
 * without a record). "Allowed" means the access check let the request through: any 2xx, or
 * the refusal that comes after it (400/422 validation, 409 state, 412 stale If-Match, 428).
 * Anything else (401, 405, 5xx, a 403/404 that is not the access problem) never matches.
 *
 * Requests: a row's query is sent as it is; a write sends the row's body (JSON; "@child",
 * "@panel", "@csw", ... stand for the world's ids, see access_world_body_id), or `{}` for "-",
 * and always `If-Match: "0"` (no version is 0). A body is given where the handler validates it
 * before the relationship check, so that the check is reached. A write that passes the check
 * then mostly fails validation, a state check or the If-Match check and changes nothing. Those
 * that succeed (a document, the same allocation again, a stability or support request, a
 * carer's notice, a second match, attendance, a deferred recommendation, accepting a
 * submission, circulating papers, deactivating a webhook, deleting a closure day) never change
 * who is related to what, so every row's outcomes stay those of the world as built, in one pass.
 *
 * A role refused by role alone (403 naming no policy rule) is also sent `{}`: a route refuses
 * a role it never allows before reading the body, so the refusal is the same (and audited, R1)
 * whatever the body holds.
 */
#include "access_world.h"
#include "env.h"
#include "expect.h"
#include "http_client.h"
#include "suites.h"

#include <check.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUTES_FILE "api/routes.c"
#define ROLES_FILE "domain/roles.c"
#define TABLE_FILE "tests/api/access_table.tsv"

#define MAX_ROLES 32
#define MAX_ROWS 256
#define FIELD_MAX 200
#define BODY_MAX 400
#define COLUMNS 4 /* method path query, the roles, body */

/* One line of the table: a route, its query string, and one cell per role. */
typedef struct access_row {
    char method[FIELD_MAX];
    char path[FIELD_MAX];
    char query[FIELD_MAX]; /* "" for none ("-" in the file) */
    char body[BODY_MAX];   /* a write's JSON body, "{}" for "-"; "@name" is a world's id */
    char cells[MAX_ROLES][FIELD_MAX];
    int line;
    bool routed; /* api/routes.c has this route */
} access_row;

typedef struct access_table {
    char roles[MAX_ROLES][FIELD_MAX];
    size_t role_count;
    access_row rows[MAX_ROWS];
    size_t row_count;
} access_table;

/* A growing text of findings, one per line. The caller frees `text`. */
typedef struct findings {
    char *text;
    size_t used;
    size_t size;
    int count;
} findings;

static void finding(findings *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void finding(findings *f, const char *fmt, ...)
{
    va_list ap;
    int n;

    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(f->text + f->used, f->size - f->used, fmt, ap);
        va_end(ap);
        ck_assert_int_ge(n, 0);
        if ((size_t)n + 2 <= f->size - f->used)
            break;
        f->size = 2 * f->size + (size_t)n + 2;
        f->text = realloc(f->text, f->size);
        ck_assert_msg(f->text != NULL, "out of memory");
    }
    f->used += (size_t)n;
    f->text[f->used++] = '\n';
    f->text[f->used] = '\0';
    f->count++;
}

/* Copies the next quoted string at or after *p (skipping blanks and commas) into out and moves
 * *p past it. False when the next thing is not a quoted string. */
static bool next_quoted(const char **p, char *out, size_t size)
{
    const char *s = *p;
    const char *end;

    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == ',')
        s++;
    if (*s != '"')
        return false;
    end = strchr(s + 1, '"');
    if (end == NULL || (size_t)(end - s - 1) >= size)
        return false;
    snprintf(out, size, "%.*s", (int)(end - s - 1), s + 1);
    *p = end + 1;
    return true;
}

/* The text between `opening` and the next "};" of the file's text `src`, as [*from, *to). */
static void initializer(const char *src, const char *opening, const char *file, const char **from,
                        const char **to)
{
    *from = strstr(src, opening);
    ck_assert_msg(*from != NULL, "%s: no \"%s\"", file, opening);
    *from += strlen(opening);
    *to = strstr(*from, "};");
    ck_assert_msg(*to != NULL, "%s: \"%s\" never ends", file, opening);
}

/* The roles of domain/roles.c (its ROLE_NAMES), into names; returns how many. */
static size_t service_roles(char names[][FIELD_MAX])
{
    size_t len;
    char *src = env_read_file(ROLES_FILE, &len);
    const char *p;
    const char *end;
    size_t n = 0;

    initializer(src, "ROLE_NAMES[] = {", ROLES_FILE, &p, &end);
    while (p < end && n < MAX_ROLES && next_quoted(&p, names[n], FIELD_MAX))
        n++;
    free(src);
    ck_assert_msg(n > 0 && n < MAX_ROLES, "%s: %zu roles read", ROLES_FILE, n);
    return n;
}

/* Marks the rows naming a route of api/routes.c's ROUTES[] (each entry opens with
 * {"METHOD", "/path", ...) and reports every route without a row. Returns the route count. */
static size_t match_routes(access_table *t, findings *f)
{
    size_t len;
    char *src = env_read_file(ROUTES_FILE, &len);
    const char *p;
    const char *end;
    size_t routes = 0;

    initializer(src, "ROUTES[] = {", ROUTES_FILE, &p, &end);
    while ((p = strstr(p, "{\"")) != NULL && p < end) {
        char method[FIELD_MAX];
        char path[FIELD_MAX];
        bool found = false;

        p++;
        ck_assert_msg(next_quoted(&p, method, sizeof method) &&
                          next_quoted(&p, path, sizeof path) && path[0] == '/',
                      "%s: an entry of ROUTES[] does not open with {\"METHOD\", \"/path\"",
                      ROUTES_FILE);
        routes++;
        for (size_t i = 0; i < t->row_count; i++) {
            access_row *row = &t->rows[i];

            if (strcmp(row->method, method) == 0 && strcmp(row->path, path) == 0) {
                ck_assert_msg(!row->routed, "%s:%d: a second row for %s %s", TABLE_FILE,
                              row->line, method, path);
                row->routed = true;
                found = true;
            }
        }
        if (!found)
            finding(f, "%s %s: a route of %s with no row in %s", method, path, ROUTES_FILE,
                    TABLE_FILE);
    }
    free(src);
    for (size_t i = 0; i < t->row_count; i++) {
        if (!t->rows[i].routed)
            finding(f, "%s:%d: %s %s is not a route of %s", TABLE_FILE, t->rows[i].line,
                    t->rows[i].method, t->rows[i].path, ROUTES_FILE);
    }
    return routes;
}

/* Splits `line` at runs of blanks into at most `max` fields; returns how many. */
static size_t split_fields(char *line, char fields[][BODY_MAX], size_t max)
{
    size_t n = 0;
    char *save = NULL;

    for (char *word = strtok_r(line, " \t\r", &save); word != NULL && n < max + 1;
         word = strtok_r(NULL, " \t\r", &save)) {
        if (n < max)
            snprintf(fields[n], BODY_MAX, "%s", word);
        n++;
    }
    return n;
}

/* Reads the table: '#' lines are comments; the first other line is the header "method path
 * query <role>... body", then one row per route. */
static access_table *read_table(void)
{
    size_t len;
    char *src = env_read_file(TABLE_FILE, &len);
    access_table *t = calloc(1, sizeof *t);
    char(*fields)[BODY_MAX] = calloc(MAX_ROLES + COLUMNS, BODY_MAX);
    char *save = NULL;
    int line = 0;
    bool header = false;

    ck_assert_msg(t != NULL && fields != NULL, "out of memory");
    for (char *text = strtok_r(src, "\n", &save); text != NULL; text = strtok_r(NULL, "\n", &save)) {
        size_t n;

        line++;
        while (isspace((unsigned char)*text))
            text++;
        if (*text == '#' || *text == '\0')
            continue;
        n = split_fields(text, fields, MAX_ROLES + COLUMNS);
        ck_assert_msg(n > COLUMNS && n <= MAX_ROLES + COLUMNS, "%s:%d: %zu fields", TABLE_FILE,
                      line, n);
        if (!header) {
            ck_assert_msg(strcmp(fields[0], "method") == 0 && strcmp(fields[1], "path") == 0 &&
                              strcmp(fields[2], "query") == 0 && strcmp(fields[n - 1], "body") == 0,
                          "%s:%d: the header is \"method path query <role>... body\"",
                          TABLE_FILE, line);
            t->role_count = n - COLUMNS;
            for (size_t i = 0; i < t->role_count; i++)
                snprintf(t->roles[i], FIELD_MAX, "%s", fields[i + 3]);
            header = true;
            continue;
        }
        ck_assert_msg(n == t->role_count + COLUMNS, "%s:%d: %zu cells for %zu roles", TABLE_FILE,
                      line, n - COLUMNS, t->role_count);
        ck_assert_msg(t->row_count < MAX_ROWS, "%s: more than %d rows", TABLE_FILE, MAX_ROWS);
        access_row *row = &t->rows[t->row_count++];
        row->line = line;
        snprintf(row->method, FIELD_MAX, "%s", fields[0]);
        snprintf(row->path, FIELD_MAX, "%s", fields[1]);
        snprintf(row->query, FIELD_MAX, "%s", strcmp(fields[2], "-") == 0 ? "" : fields[2]);
        snprintf(row->body, BODY_MAX, "%s", strcmp(fields[n - 1], "-") == 0 ? "{}" : fields[n - 1]);
        for (size_t i = 0; i < t->role_count; i++)
            snprintf(row->cells[i], FIELD_MAX, "%s", fields[i + 3]);
    }
    free(fields);
    free(src);
    ck_assert_msg(header, "%s: no header", TABLE_FILE);
    return t;
}

/* Checks that the table's columns are exactly the service's roles, in any order. */
static void check_roles(const access_table *t, findings *f)
{
    char roles[MAX_ROLES][FIELD_MAX];
    size_t n = service_roles(roles);

    for (size_t i = 0; i < n; i++) {
        bool found = false;

        for (size_t j = 0; j < t->role_count; j++)
            found |= strcmp(roles[i], t->roles[j]) == 0;
        if (!found)
            finding(f, "role %s of %s has no column in %s", roles[i], ROLES_FILE, TABLE_FILE);
    }
    for (size_t j = 0; j < t->role_count; j++) {
        bool found = false;

        for (size_t i = 0; i < n; i++)
            found |= strcmp(roles[i], t->roles[j]) == 0;
        if (!found)
            finding(f, "column %s of %s is not a role of %s", t->roles[j], TABLE_FILE, ROLES_FILE);
    }
}

/* Whether `s` is one outcome: ok, 403 or 404. */
static bool is_outcome(const char *s)
{
    return strcmp(s, "ok") == 0 || strcmp(s, "403") == 0 || strcmp(s, "404") == 0;
}

/* Splits a cell into its own and other outcomes (a single value is both). False when the cell
 * is not "x" or "x/y" with x and y outcomes. */
static bool parse_cell(const char *cell, char *own, char *other)
{
    const char *slash = strchr(cell, '/');

    if (slash == NULL) {
        snprintf(own, 8, "%s", cell);
        snprintf(other, 8, "%s", cell);
    } else {
        snprintf(own, 8, "%.*s", (int)(slash - cell), cell);
        snprintf(other, 8, "%s", slash + 1);
    }
    return is_outcome(own) && is_outcome(other);
}

/* Whether the answer is the problem `slug` (its type ends with "/problems/<slug>"). */
static bool is_problem(const http_response *res, const char *slug)
{
    const char *type = json_string_value(json_object_get(res->json, "type"));
    char tail[64];
    size_t n;

    snprintf(tail, sizeof tail, "/problems/%s", slug);
    n = strlen(tail);
    return type != NULL && strlen(type) >= n && strcmp(type + strlen(type) - n, tail) == 0;
}

/* The outcome of an answer: "403", "404", "ok", or NULL when it is none of them (see the file
 * comment). */
static const char *outcome_of(const http_response *res)
{
    switch (res->status) {
    case 403:
        return is_problem(res, "forbidden") ? "403" : NULL;
    case 404:
        return is_problem(res, "not-found") ? "404" : NULL;
    case 200: case 201: case 202: case 204:
    case 400: case 409: case 412: case 422: case 428:
        return "ok";
    default:
        return NULL;
    }
}

/* The route's path with each ":name" replaced by the world's record (see access_world_param),
 * and the query appended, into out. */
static void concrete_path(const access_world *w, const access_row *row, char *out, size_t size,
                          findings *f)
{
    char collection[FIELD_MAX] = "";
    char after[FIELD_MAX] = "";
    char copy[FIELD_MAX];
    char *save = NULL;
    size_t used = 0;
    int index = 0;

    snprintf(copy, sizeof copy, "%s", row->path);
    out[0] = '\0';
    for (char *seg = strtok_r(copy, "/", &save); seg != NULL; seg = strtok_r(NULL, "/", &save)) {
        const char *value = seg;

        if (index++ == 1)
            snprintf(collection, sizeof collection, "%s", seg);
        if (seg[0] == ':') {
            value = access_world_param(w, collection, after, seg + 1);
            if (value == NULL) {
                finding(f, "%s %s: the world has no value for %s (access_world.c)", row->method,
                        row->path, seg);
                value = "none";
            }
        } else {
            snprintf(after, sizeof after, "%s", seg);
        }
        used += (size_t)snprintf(out + used, size - used, "/%s", value);
        ck_assert_msg(used < size, "%s %s: the path is too long", row->method, row->path);
    }
    if (row->query[0] != '\0')
        snprintf(out + used, size - used, "?%s", row->query);
}

/* The row's body with each "@name" (a letter run: @child, @carer, @panel, @csw, ...) replaced
 * by the world's id (access_world_body_id), into out. */
static void concrete_body(const access_world *w, const access_row *row, char *out, size_t size,
                          findings *f)
{
    size_t used = 0;

    out[0] = '\0';
    for (const char *p = row->body; *p != '\0' && used + 1 < size;) {
        char name[FIELD_MAX];
        size_t n = 0;
        const char *value;

        if (*p != '@') {
            out[used++] = *p++;
            out[used] = '\0';
            continue;
        }
        for (p++; (isalpha((unsigned char)*p) || *p == '_') && n + 1 < sizeof name; p++)
            name[n++] = *p;
        name[n] = '\0';
        value = access_world_body_id(w, name);
        if (value == NULL) {
            finding(f, "%s:%d: the world has no id for @%s (access_world.c)", TABLE_FILE,
                    row->line, name);
            value = "none";
        }
        used += (size_t)snprintf(out + used, size - used, "%s", value);
        if (used >= size)
            used = size - 1;
    }
}

/* Sends the row's request to `path` as `caller`: writes carry the row's body and If-Match "0". */
static http_response call(http_session *session, const access_row *row, const char *path,
                          const char *body, const fx_person *caller)
{
    bool write = strcmp(row->method, "GET") != 0;
    bool with_body = write && strcmp(row->method, "DELETE") != 0;
    http_request req = {
        .method = row->method,
        .path = path,
        .token = caller->token,
        .body = with_body ? body : NULL,
        .content_type = strcmp(row->method, "PATCH") == 0 ? "application/merge-patch+json" : NULL,
        .if_match = write ? "\"0\"" : NULL,
    };

    return http_session_send(session, &req, NULL);
}

/* Calls the row as `role` on `path` and records a finding unless the outcome is `want`.
 * Returns whether the answer was a refusal by role alone: 403 naming no policy rule (a rule's
 * 403, such as M1's, may come after the body is read). */
static bool check_cell(http_session *session, const access_row *row, const char *role,
                       const fx_person *caller, const char *path, const char *body,
                       const char *which, const char *want, findings *f)
{
    http_response res = call(session, row, path, body, caller);
    const char *got = outcome_of(&res);
    bool role_refusal = got != NULL && strcmp(got, "403") == 0 &&
                        json_object_get(res.json, "rule") == NULL;

    if (got == NULL || strcmp(got, want) != 0)
        finding(f, "%s:%d: %s %s as %s on %s record: expected %s, got %ld %.160s", TABLE_FILE,
                row->line, row->method, row->path, role, which, want, res.status, res.body);
    http_response_free(&res);
    return role_refusal;
}

/* Checks every cell of the row: own (and, for a route with a record, other) as every role. */
static void check_row(http_session *session, const access_table *t, const access_row *row,
                      const access_world *own, const access_world *other, findings *f)
{
    char own_path[2 * FIELD_MAX + 512];
    char other_path[2 * FIELD_MAX + 512];
    char own_body[2 * BODY_MAX];
    char other_body[2 * BODY_MAX];
    bool with_record = strchr(row->path, ':') != NULL;

    concrete_path(own, row, own_path, sizeof own_path, f);
    concrete_path(other, row, other_path, sizeof other_path, f);
    concrete_body(own, row, own_body, sizeof own_body, f);
    concrete_body(other, row, other_body, sizeof other_body, f);
    for (size_t i = 0; i < t->role_count; i++) {
        const fx_person *caller = access_world_person(own, t->roles[i]);
        bool role_refusal;
        char want_own[8];
        char want_other[8];

        if (!parse_cell(row->cells[i], want_own, want_other) ||
            (!with_record && strchr(row->cells[i], '/') != NULL)) {
            finding(f, "%s:%d: cell \"%s\" for %s is not ok, 403 or 404 (own/other only where "
                    "the path names a record)", TABLE_FILE, row->line, row->cells[i], t->roles[i]);
            continue;
        }
        if (caller == NULL) {
            finding(f, "role %s has no person in the world (access_world.c)", t->roles[i]);
            continue;
        }
        role_refusal = check_cell(session, row, t->roles[i], caller, own_path, own_body, "own",
                                  want_own, f);
        if (with_record)
            role_refusal &= check_cell(session, row, t->roles[i], caller, other_path, other_body,
                                       "another's", want_other, f);
        /* A role the route never allows is refused before its body is read: an empty body gets
         * the same 403 (and its audit row), not a validation error. */
        if (role_refusal && strcmp(row->body, "{}") != 0)
            check_cell(session, row, t->roles[i], caller, own_path, "{}", "own (body {})", "403",
                       f);
    }
}

START_TEST(test_access_table_every_route_every_role)
{
    access_table *t = read_table();
    findings f = {malloc(4096), 0, 4096, 0};
    access_world *worlds = calloc(2, sizeof *worlds);
    http_session *session;
    size_t routes;

    ck_assert_msg(f.text != NULL && worlds != NULL, "out of memory");
    f.text[0] = '\0';
    check_roles(t, &f);
    routes = match_routes(t, &f);
    ck_assert_msg(f.count == 0, "%s does not cover %s and %s exactly:\n%s", TABLE_FILE,
                  ROUTES_FILE, ROLES_FILE, f.text);
    ck_assert_uint_eq(routes, t->row_count);

    access_world_create(&worlds[0]);
    access_world_create(&worlds[1]);
    session = http_session_open();
    for (size_t i = 0; i < t->row_count; i++)
        check_row(session, t, &t->rows[i], &worlds[0], &worlds[1], &f);
    http_session_close(session);

    if (f.count > 0)
        fprintf(stderr, "%s", f.text);
    ck_assert_msg(f.count == 0, "%d cells differ from %s (all listed above); the first: %.900s",
                  f.count, TABLE_FILE, f.text);
    free(f.text);
    free(worlds);
    free(t);
}
END_TEST

Suite *access_table_suite(void)
{
    Suite *s = suite_create("access_table");
    TCase *tc = tcase_create("access_table");

    tcase_set_timeout(tc, 4 * TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_access_table_every_route_every_role);
    suite_add_tcase(s, tc);
    return s;
}
