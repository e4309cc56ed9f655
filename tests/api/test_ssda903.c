/*
 * test_ssda903.c - SSDA903 episodes in and out (POLICY.md section E, issue 8):
 * POST /v1/imports/ssda903 and GET /v1/exports/ssda903/episodes.csv.
 *
 * The validator's sample files (tests/api/fixtures/ssda903) hold errors on purpose: the first
 * import is refused (422) with each bad row named by file, line and column, and nothing is
 * written; the sample without the children of those rows imports, exports (collection year
 * 2018: 1 April 2017 to 31 March 2018 holds every one of its episodes) and re-imports with no
 * change. The other tests build small files with CHILD ids of their own (the database is shared
 * and never emptied).
 */
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE_DIR "tests/api/fixtures/ssda903/"
#define HEADER_ROW "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n"
#define EPISODE_ROW "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE," \
                    "HOME_POST,PL_POST,URN\r\n"

/* A person of `role` in a team of their own. */
static void person_in_new_team(fx_person *p, const char *role)
{
    char team[64];
    fx_unique(team, sizeof team, "team");
    fx_person_create(p, role, team);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    ck_assert(fread(text, 1, (size_t)n, f) == (size_t)n);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* POST /v1/imports/ssda903[?dry_run=true] with the two CSV texts. */
static http_response import(const char *token, const char *header, const char *episodes,
                            int dry_run)
{
    json_t *body = json_pack("{s:s, s:s}", "header", header, "episodes", episodes);
    char *text = json_dumps(body, JSON_COMPACT);
    /* The sample return is 4 000 children: on a loaded machine that is more than a request's
     * usual 10 s, as a council's whole return would be. */
    http_request req = {.method = "POST", .token = token, .body = text, .timeout_seconds = 120,
                        .path = dry_run ? "/v1/imports/ssda903?dry_run=true"
                                        : "/v1/imports/ssda903"};
    http_response res = http_send(&req);

    free(text);
    json_decref(body);
    return res;
}

static long counted(const http_response *res, const char *key)
{
    json_t *v = json_object_get(res->json, key);
    ck_assert_msg(json_is_integer(v), "%s: no %s: %.400s", res->what, key, res->body);
    return (long)json_integer_value(v);
}

/* A CHILD id of this test's own: "T" and 9 hex digits. */
static void child_id(char *out, size_t size)
{
    char unique[64];
    fx_unique(unique, sizeof unique, "c");
    snprintf(out, size, "T%.9s", unique + strlen(unique) - 9);
}

/* Whether the errors of a 422 hold {file, line, column} with a reason containing `part`. */
static int has_error(const http_response *res, const char *file, long line, const char *column,
                     const char *part)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(res->json, "errors"), i, e) {
        if (json_member_is(e, "file", file) &&
            json_integer_value(json_object_get(e, "line")) == line &&
            json_member_is(e, "column", column) &&
            strstr(json_string_value(json_object_get(e, "reason")), part) != NULL)
            return 1;
    }
    return 0;
}

static long children_with_903_id(const char *child)
{
    return db_long("SELECT count(*) FROM external_ids WHERE resource_type = 'child'"
                   " AND system = 'ssda903' AND external_id = $1", 1, child);
}

/* The first field of line `line` (1-based) of `text`, copied into out. */
static void first_field_of_line(const char *text, long line, char *out, size_t size)
{
    const char *p = text;
    for (long l = 1; l < line && p != NULL; l++) {
        p = strchr(p, '\n');
        p = p != NULL ? p + 1 : NULL;
    }
    ck_assert(p != NULL);
    size_t n = strcspn(p, ",\r\n");
    snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

/* `text` without the data rows whose CHILD is one of `bad` ("|id|" joined). */
static char *without_children(const char *text, const char *bad)
{
    char *out = malloc(strlen(text) + 1);
    size_t o = 0;
    const char *p = text;
    int first = 1;
    while (*p != '\0') {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) + 1 : strlen(p);
        char key[64];
        size_t n = strcspn(p, ",\r\n");
        snprintf(key, sizeof key, "|%.*s|", (int)(n < 60 ? n : 60), p);
        if (first || strstr(bad, key) == NULL) {
            memcpy(out + o, p, len);
            o += len;
        }
        first = 0;
        p += len;
    }
    out[o] = '\0';
    return out;
}

/* `text` with every data row's CHILD prefixed by `tag`: the database outlives a run of the
 * suite (it runs twice, and CHILD ids are the council's, one child each), so each run imports
 * the sample under ids of its own. */
static char *with_child_prefix(const char *text, const char *tag)
{
    size_t lines = 1;
    for (const char *c = text; *c != '\0'; c++)
        lines += *c == '\n';
    char *out = malloc(strlen(text) + lines * strlen(tag) + 1);
    size_t o = 0;
    int first = 1;
    for (const char *p = text; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) + 1 : strlen(p);
        if (!first && len > 0 && *p != '\r' && *p != '\n') {
            memcpy(out + o, tag, strlen(tag));
            o += strlen(tag);
        }
        memcpy(out + o, p, len);
        o += len;
        first = 0;
        p += len;
    }
    out[o] = '\0';
    return out;
}

/* The team's placements as one text (start, type, end, reasons and the episode's columns). */
static char *placements_of_team(const char *team)
{
    return db_text("SELECT coalesce(string_agg(concat_ws('|', x.external_id, p.start_date,"
                   " p.placement_type, p.end_date, p.end_reason, p.unplanned, p.new_episode_reason,"
                   " p.legal_status, p.category_of_need, p.provider, p.ceased_reason,"
                   " p.home_postcode, p.placement_postcode, p.urn, p.version, p.carer_id), ';'"
                   " ORDER BY x.external_id), '')"
                   "  FROM placements p JOIN children c ON c.id = p.child_id"
                   "  JOIN external_ids x ON x.resource_type = 'placement' AND x.resource_id = p.id"
                   " WHERE c.team = $1", 1, team);
}

START_TEST(test_sample_round_trip)
{
    fx_person tm;
    person_in_new_team(&tm, "team_manager");
    char tag[8];
    char unique[64];
    fx_unique(unique, sizeof unique, "r");
    snprintf(tag, sizeof tag, "R%.3s", unique + strlen(unique) - 3);
    char *raw_header = read_file(SAMPLE_DIR "header.csv");
    char *raw_episodes = read_file(SAMPLE_DIR "episodes.csv");
    char *header = with_child_prefix(raw_header, tag);
    char *episodes = with_child_prefix(raw_episodes, tag);
    free(raw_header);
    free(raw_episodes);
    char c566910[16];
    char c566910_episode[32];
    char c566910_row[128];
    char c566910_header[128];
    snprintf(c566910, sizeof c566910, "%s566910", tag);
    snprintf(c566910_episode, sizeof c566910_episode, "%s566910/14-08-2017", tag);
    snprintf(c566910_row, sizeof c566910_row,
             "%s566910,15/02/2016,L,C2,N3,T2,PR0,14/08/2017,X1,CLOSE,,,4244474\r\n", tag);
    snprintf(c566910_header, sizeof c566910_header,
             HEADER_ROW "%s566910,2,27/03/2008,WROM,D051910639385,,\r\n", tag);

    /* The sample as it is: refused, every error named, nothing written. */
    http_response bad = import(tm.token, header, episodes, 0);
    EXPECT_STATUS(bad, 422);
    ck_assert_msg(has_error(&bad, "header.csv", 1273, "MOTHER", "0, 1 or empty"), "%.600s", bad.body);
    ck_assert_int_eq(children_with_903_id(c566910), 0);
    char bad_children[16384] = "|";
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(bad.json, "errors"), i, e) {
        const char *file = json_string_value(json_object_get(e, "file"));
        char child[64];
        first_field_of_line(strcmp(file, "header.csv") == 0 ? header : episodes,
                            (long)json_integer_value(json_object_get(e, "line")), child,
                            sizeof child);
        char key[72];
        snprintf(key, sizeof key, "|%s|", child);
        if (strstr(bad_children, key) == NULL) {
            ck_assert(strlen(bad_children) + strlen(key) < sizeof bad_children);
            strcat(bad_children, key + 1);
        }
    }
    http_response_free(&bad);

    char *good_header = without_children(header, bad_children);
    char *good_episodes = without_children(episodes, bad_children);

    /* A dry run reports and writes nothing. */
    http_response dry = import(tm.token, good_header, good_episodes, 1);
    EXPECT_STATUS(dry, 200);
    long created = counted(&dry, "created");
    ck_assert_int_gt(created, 4000);
    ck_assert_int_eq(counted(&dry, "updated"), 0);
    ck_assert(json_is_true(json_object_get(dry.json, "dry_run")));
    ck_assert_int_eq(children_with_903_id(c566910), 0);
    http_response_free(&dry);

    /* The import itself. */
    http_response first = import(tm.token, good_header, good_episodes, 0);
    EXPECT_STATUS(first, 200);
    ck_assert_int_eq(counted(&first, "created"), created);
    ck_assert_int_eq(children_with_903_id(c566910), 1);
    ck_assert_int_eq(db_long("SELECT count(*) FROM audit_log WHERE resource_type = 'import'"
                             " AND request_id = (SELECT request_id FROM audit_log"
                             "  WHERE resource_type = 'child' AND resource_id = (SELECT"
                             "  resource_id::text FROM external_ids WHERE resource_type = 'child'"
                             "  AND system = 'ssda903' AND external_id = $1))", 1, c566910), 1);
    ck_assert_int_eq(db_long("SELECT count(*) FROM placements p JOIN external_ids x"
                             " ON x.resource_id = p.id WHERE x.external_id = $1"
                             " AND p.placement_type = 'A3' AND p.end_date IS NULL"
                             " AND p.carer_id IS NULL AND p.urn = '8969628'", 1, c566910_episode), 1);
    /* The first episode of 566910 ended CLOSE in 2017: unplanned, but history (no U1 actions). */
    ck_assert_int_eq(counted(&first, "u1_follow_ups"), 0);
    http_response_free(&first);
    char *team = db_text("SELECT team FROM people WHERE id = $1", 1, tm.id);
    char *before = placements_of_team(team);

    /* The same files again: nothing changes. */
    http_response again = import(tm.token, good_header, good_episodes, 0);
    EXPECT_STATUS(again, 200);
    ck_assert_int_eq(counted(&again, "created"), 0);
    ck_assert_int_eq(counted(&again, "updated"), 0);
    ck_assert_int_eq(counted(&again, "unchanged"), created);
    http_response_free(&again);

    /* Export, then import the export: nothing changes, the placements are the same. */
    http_response csv = http_get(tm.token, "/v1/exports/ssda903/episodes.csv?year=2018");
    EXPECT_STATUS(csv, 200);
    expect_header_prefix(&csv, "Content-Type", "text/csv");
    ck_assert_msg(strncmp(csv.body, EPISODE_ROW, strlen(EPISODE_ROW)) == 0, "%.200s", csv.body);
    ck_assert_msg(strstr(csv.body, c566910_row) != NULL, "%.400s", csv.body);
    http_response back = import(tm.token, good_header, csv.body, 0);
    EXPECT_STATUS(back, 200);
    ck_assert_int_eq(counted(&back, "created"), 0);
    ck_assert_int_eq(counted(&back, "updated"), 0);
    http_response_free(&back);
    char *after = placements_of_team(team);
    ck_assert_str_eq(before, after);
    ck_assert_int_gt((long)strlen(before), 1000);

    /* Another team's manager sees none of them. */
    fx_person other;
    person_in_new_team(&other, "team_manager");
    http_response theirs = http_get(other.token, "/v1/exports/ssda903/episodes.csv?year=2018");
    EXPECT_STATUS(theirs, 200);
    ck_assert_str_eq(theirs.body, EPISODE_ROW);
    http_response_free(&theirs);
    /* nor may they take the children over by importing the same ids */
    http_response taken = import(other.token, c566910_header, EPISODE_ROW, 0);
    EXPECT_STATUS(taken, 422);
    ck_assert(has_error(&taken, "header.csv", 2, "CHILD", "another team"));
    http_response_free(&taken);

    http_response_free(&csv);
    free(before);
    free(after);
    free(team);
    free(good_header);
    free(good_episodes);
    free(header);
    free(episodes);
}
END_TEST

START_TEST(test_bad_rows_named_and_nothing_written)
{
    fx_person tm;
    person_in_new_team(&tm, "team_manager");
    char a[16], b[16], missing[16];
    child_id(a, sizeof a);
    child_id(b, sizeof b);
    child_id(missing, sizeof missing);
    char header[512];
    char episodes[2048];
    snprintf(header, sizeof header, HEADER_ROW "%s,1,01/02/2012,WBRI,,,\r\n%s,2,01/02/2012,WBRI,,,\r\n",
             a, b);
    snprintf(episodes, sizeof episodes,
             EPISODE_ROW
             "%s,31/02/2020,S,C2,N1,U4,PR1,,,,,,\r\n"                        /* line 2: bad date */
             "%s,01/03/2020,S,C2,N1,Q9,PR1,,,,,,\r\n"                        /* line 3: unknown PLACE */
             "%s,01/03/2021,S,C2,N1,U4,PR1,01/01/2021,E11,,,,\r\n"           /* line 4: DEC before DECOM */
             "%s,01/01/2019,S,C2,N1,U4,PR1,01/06/2019,X1,CARPL,,,\r\n"       /* line 5 */
             "%s,01/05/2019,P,C2,N1,U6,PR1,,,,,,\r\n"                        /* line 6: overlaps line 5 */
             "%s,01/01/2019,S,C2,N1,U4,PR1,,,,,,\r\n"                        /* line 7: no such CHILD */
             "\"%s\",\"01/01/2018\",S,C2,N1,U4,PR1,01/02/2018,X1,CARPL,\"AB1, 2CD\",,\r\n", /* line 8: quoted, bad postcode */
             a, a, a, b, b, missing, b);
    http_response res = import(tm.token, header, episodes, 0);
    EXPECT_STATUS(res, 422);
    ck_assert_msg(has_error(&res, "episodes.csv", 2, "DECOM", "real date"), "%.1500s", res.body);
    ck_assert_msg(has_error(&res, "episodes.csv", 3, "PLACE", "placement type"), "%.1500s", res.body);
    ck_assert_msg(has_error(&res, "episodes.csv", 4, "DEC", "before DECOM"), "%.1500s", res.body);
    ck_assert_msg(has_error(&res, "episodes.csv", 6, "DECOM", "overlaps the episode on line 5"),
                  "%.1500s", res.body);
    ck_assert_msg(has_error(&res, "episodes.csv", 7, "CHILD", "not a child of header.csv"),
                  "%.1500s", res.body);
    ck_assert_msg(has_error(&res, "episodes.csv", 8, "HOME_POST", "postcode"), "%.1500s", res.body);
    ck_assert_int_eq(children_with_903_id(a) + children_with_903_id(b), 0);
    http_response_free(&res);

    /* Bad codes in the header. */
    snprintf(header, sizeof header, HEADER_ROW "%s,7,01/02/2012,XXXX,,,\r\n", a);
    res = import(tm.token, header, EPISODE_ROW, 0);
    EXPECT_STATUS(res, 422);
    ck_assert_msg(has_error(&res, "header.csv", 2, "SEX", "SEX code"), "%.1500s", res.body);
    ck_assert_msg(has_error(&res, "header.csv", 2, "ETHNIC", "ethnicity"), "%.1500s", res.body);
    http_response_free(&res);

    /* A malformed file (an unterminated quote), and a missing column: named, nothing read. */
    res = import(tm.token, HEADER_ROW, EPISODE_ROW "\"unterminated,\r\n", 0);
    EXPECT_STATUS(res, 422);
    size_t i;
    json_t *e;
    int malformed = 0;
    json_array_foreach(json_object_get(res.json, "errors"), i, e) {
        malformed += json_member_is(e, "file", "episodes.csv") &&
                     json_integer_value(json_object_get(e, "line")) == 2 &&
                     json_is_null(json_object_get(e, "column"));
    }
    ck_assert_msg(malformed == 1, "%.800s", res.body);
    http_response_free(&res);
    res = import(tm.token, "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER\n", EPISODE_ROW, 0);
    EXPECT_STATUS(res, 422);
    ck_assert_msg(has_error(&res, "header.csv", 1, "MC_DOB", "missing"), "%.800s", res.body);
    http_response_free(&res);

    /* Not CSV text at all: 400. */
    http_response shape = http_post(tm.token, json_pack("{s:i}", "header", 1), "/v1/imports/ssda903");
    EXPECT_STATUS(shape, 400);
    http_response_free(&shape);
}
END_TEST

START_TEST(test_update_and_recent_unplanned_endings)
{
    fx_person tm;
    person_in_new_team(&tm, "team_manager");
    char recent[16], old[16];
    child_id(recent, sizeof recent);
    child_id(old, sizeof old);
    char *ended = db_text("SELECT to_char(london_today() - 10, 'DD/MM/YYYY')", 0);
    char *started = db_text("SELECT to_char(london_today() - 200, 'DD/MM/YYYY')", 0);
    char header[512];
    char episodes[1024];
    snprintf(header, sizeof header, HEADER_ROW "%s,1,01/02/2012,WBRI,,,\r\n%s,2,01/02/2013,REFU,,,\r\n",
             recent, old);
    /* First both open; then the recent one ends CREQB 10 days ago, the old one CREQB in 2020. */
    snprintf(episodes, sizeof episodes,
             EPISODE_ROW "%s,%s,S,C2,N1,U4,PR1,,,,,,\r\n%s,01/01/2020,S,C2,N1,K2,PR1,,,,,,\r\n",
             recent, started, old);
    http_response res = import(tm.token, header, episodes, 0);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(counted(&res, "created"), 4);
    http_response_free(&res);

    snprintf(episodes, sizeof episodes,
             EPISODE_ROW "%s,%s,S,C2,N1,U4,PR1,%s,X1,CREQB,,,\r\n"
                         "%s,01/01/2020,S,C2,N1,K2,PR1,01/03/2020,X1,CREQB,,,\r\n",
             recent, started, ended, old);
    http_response dry = import(tm.token, header, episodes, 1);
    EXPECT_STATUS(dry, 200);
    ck_assert_int_eq(counted(&dry, "updated"), 2);
    ck_assert_int_eq(counted(&dry, "u1_follow_ups"), 1);
    http_response_free(&dry);
    ck_assert_int_eq(db_long("SELECT count(*) FROM placements p JOIN external_ids x ON"
                             " x.resource_id = p.id WHERE x.external_id LIKE $1 || '/%'"
                             " AND p.end_date IS NOT NULL", 1, recent), 0);

    res = import(tm.token, header, episodes, 0);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(counted(&res, "created"), 0);
    ck_assert_int_eq(counted(&res, "updated"), 2);
    ck_assert_int_eq(counted(&res, "u1_follow_ups"), 1);
    http_response_free(&res);
    const char *u1 = "SELECT count(*) FROM actions a JOIN external_ids x ON"
                     " x.resource_id::text = a.source_id::text AND x.resource_type = 'placement'"
                     " WHERE x.external_id LIKE $1 || '/%' AND a.source_rule = 'U1'";
    ck_assert_int_eq(db_long(u1, 1, recent), 1);
    ck_assert_int_eq(db_long(u1, 1, old), 0);
    ck_assert_int_eq(db_long("SELECT count(*) FROM placements p JOIN external_ids x ON"
                             " x.resource_id = p.id WHERE x.external_id LIKE $1 || '/%'"
                             " AND p.unplanned AND p.end_reason = 'CREQB' AND p.ceased_reason = 'X1'"
                             " AND p.u1_latest_on IS NOT NULL", 1, recent), 1);
    ck_assert_int_eq(db_long("SELECT count(*) FROM audit_log WHERE resource_type = 'placement'"
                             " AND resource_id = (SELECT resource_id::text FROM external_ids"
                             " WHERE external_id LIKE $1 || '/%')", 1, recent), 2);

    /* And again: nothing changes, no second follow-up. */
    res = import(tm.token, header, episodes, 0);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(counted(&res, "updated"), 0);
    ck_assert_int_eq(counted(&res, "u1_follow_ups"), 0);
    http_response_free(&res);
    ck_assert_int_eq(db_long(u1, 1, recent), 1);

    /* The imported child has no names: shown as null, and it reads like any child. */
    char *id = db_text("SELECT resource_id::text FROM external_ids WHERE resource_type = 'child'"
                       " AND external_id = $1", 1, recent);
    http_response child = http_get(tm.token, "/v1/children/%s", id);
    EXPECT_STATUS(child, 200);
    ck_assert(json_is_null(json_object_get(child.json, "given_name")));
    ck_assert(json_member_is(child.json, "sex", "male"));
    http_response_free(&child);
    free(id);
    free(ended);
    free(started);
}
END_TEST

START_TEST(test_access)
{
    fx_person csw;
    person_in_new_team(&csw, "csw");
    char a[16];
    child_id(a, sizeof a);
    char header[256];
    snprintf(header, sizeof header, HEADER_ROW "%s,1,01/02/2012,WBRI,,,\r\n", a);
    http_response res = import(csw.token, header, EPISODE_ROW, 0);
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
    ck_assert_int_eq(children_with_903_id(a), 0);
    res = http_get(csw.token, "/v1/exports/ssda903/episodes.csv?year=2025");
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
    fx_person tm;
    person_in_new_team(&tm, "team_manager");
    res = http_get(tm.token, "/v1/exports/ssda903/episodes.csv?year=twenty");
    expect_problem(&res, 400, "bad-request");
    http_response_free(&res);
    res = http_get(tm.token, "/v1/exports/ssda903/episodes.csv?year=2025&team=other");
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
}
END_TEST

Suite *ssda903_suite(void)
{
    Suite *s = suite_create("ssda903");
    TCase *tc = tcase_create("ssda903");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_sample_round_trip);
    tcase_add_test(tc, test_bad_rows_named_and_nothing_written);
    tcase_add_test(tc, test_update_and_recent_unplanned_endings);
    tcase_add_test(tc, test_access);
    suite_add_tcase(s, tc);
    return s;
}
