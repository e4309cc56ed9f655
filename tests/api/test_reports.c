/*
 * test_reports.c - the reports of issue 8: E1 (GET /v1/reports/stability), U3
 * (/v1/reports/breakdowns), P6 (/v1/reports/panel) and the compliance of rule actions
 * (/v1/reports/compliance), as JSON and as CSV (Accept: text/csv), and who may read them.
 *
 * The database is shared and never emptied, so each test builds a cohort in a team of its own and
 * reads it as that team's manager (a team manager's reports cover their own team); the panel
 * report has no team, so its test uses a month no other test uses (mfx_unique_day). Children,
 * carers and placements (with their past dates and endings) are made through the API; the
 * meetings held in the past, the U2 waiver, the rule actions with their due and closing times and
 * the panel's sittings are written straight into the database, since the API stamps them with
 * today's clock. Every expected figure is worked out by hand in a comment beside it.
 */
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "match_fixtures.h"
#include "suites.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* Runs one formatted SQL statement (ids in it are UUIDs or the test's own unique names). */
static void sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sql(const char *fmt, ...)
{
    char text[4096];
    va_list ap;
    PGconn *conn = db_connect();

    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    db_must(conn, text);
    PQfinish(conn);
}

/* A child of `tm`'s team born on `dob`, entered care on `entered` (NULL: not recorded). */
static void child(const fx_person *tm, const char *given, const char *dob, const char *entered,
                  char *id)
{
    char family[FX_ID_MAX];
    json_t *body;
    http_response res;

    fx_unique(family, sizeof family, "Report");
    body = fx_child_body(family);
    json_object_set_new(body, "given_name", json_string(given));
    json_object_set_new(body, "date_of_birth", json_string(dob));
    if (entered != NULL)
        json_object_set_new(body, "entered_care_on", json_string(entered));
    else
        json_object_del(body, "entered_care_on");
    res = http_post(tm->token, body, "/v1/children");
    EXPECT_STATUS(res, 201);
    snprintf(id, FX_ID_MAX, "%s", body_string(&res, "id"));
    http_response_free(&res);
}

/* A placement of `type` from `start`, ended on `end` for `reason` when `end` is not NULL. */
static void place(const fx_person *tm, const char *child_id, const char *carer_id,
                  const char *type, const char *start, const char *end, const char *reason,
                  char *id)
{
    http_response res = http_post(tm->token,
                                  json_pack("{s:s, s:s, s:s, s:s}", "child_id", child_id,
                                            "carer_id", carer_id, "start_date", start,
                                            "placement_type", type),
                                  "/v1/placements");

    EXPECT_STATUS(res, 201);
    snprintf(id, FX_ID_MAX, "%s", body_string(&res, "id"));
    http_response_free(&res);
    if (end != NULL)
        fx_placement_end(tm, id, end, reason);
}

/* A team of its own with its manager. */
static void team_with_manager(fx_person *tm)
{
    char team[FX_ID_MAX];

    fx_unique(team, sizeof team, "reports");
    fx_person_create(tm, "team_manager", team);
}

static const json_t *at(const json_t *obj, const char *a, const char *b)
{
    const json_t *v = json_object_get(obj, a);

    return b == NULL ? v : json_object_get(v, b);
}

static long int_at(const json_t *obj, const char *a, const char *b)
{
    const json_t *v = at(obj, a, b);

    ck_assert_msg(json_is_integer(v), "%s.%s is not an integer", a, b != NULL ? b : "");
    return (long)json_integer_value(v);
}

/* The count of `key` in a tally list [{"key", "count"}] (-1 when absent). */
static long tally(const json_t *list, const char *key)
{
    size_t i;
    json_t *e;

    json_array_foreach(list, i, e) {
        if (json_member_is(e, "key", key))
            return (long)json_integer_value(json_object_get(e, "count"));
    }
    return -1;
}

/* The entry of `list` whose string `key` is `value`, or NULL. */
static const json_t *find(const json_t *list, const char *key, const char *value)
{
    size_t i;
    json_t *e;

    json_array_foreach(list, i, e) {
        if (json_member_is(e, key, value))
            return e;
    }
    return NULL;
}

/* ---- CSV (RFC 4180), parsed here into rows of strings ---- */

/* The CSV body of `res` as a JSON array of rows (arrays of strings); the caller frees it. Fails
 * the test on a row not ended by CRLF or a stray quote. */
static json_t *csv_rows(const http_response *res)
{
    json_t *rows = json_array();
    json_t *row = json_array();
    char *field = malloc(res->body_len + 1);
    size_t n = 0;
    size_t i = 0;
    const char *b = res->body;

    while (i < res->body_len) {
        n = 0;
        if (b[i] == '"') {
            for (i++; i < res->body_len; i++) {
                if (b[i] == '"' && i + 1 < res->body_len && b[i + 1] == '"')
                    field[n++] = b[i++];
                else if (b[i] == '"')
                    break;
                else
                    field[n++] = b[i];
            }
            ck_assert_msg(i < res->body_len, "unterminated quoted CSV field");
            i++;
        } else {
            while (i < res->body_len && b[i] != ',' && b[i] != '\r') {
                ck_assert_msg(b[i] != '"' && b[i] != '\n', "stray quote or LF in CSV");
                field[n++] = b[i++];
            }
        }
        json_array_append_new(row, json_stringn(field, n));
        if (i < res->body_len && b[i] == ',') {
            i++;
            continue;
        }
        ck_assert_msg(i + 1 < res->body_len && b[i] == '\r' && b[i + 1] == '\n',
                      "CSV row not ended by CRLF");
        i += 2;
        json_array_append_new(rows, row);
        row = json_array();
    }
    json_decref(row);
    free(field);
    return rows;
}

/* The first row of `rows` whose first cells are c0 and c1 (c1 NULL: any), or NULL. */
static const json_t *csv_find(const json_t *rows, const char *c0, const char *c1)
{
    size_t i;
    json_t *row;

    json_array_foreach(rows, i, row) {
        if (strcmp(json_string_value(json_array_get(row, 0)), c0) == 0 &&
            (c1 == NULL || (json_array_size(row) > 1 &&
                            strcmp(json_string_value(json_array_get(row, 1)), c1) == 0)))
            return row;
    }
    return NULL;
}

static const char *cell(const json_t *row, size_t i)
{
    ck_assert_msg(row != NULL, "no such CSV row");
    return json_string_value(json_array_get(row, i));
}

static http_response get_csv(const char *token, const char *path)
{
    http_request req = {.method = "GET", .path = path, .token = token,
                        .extra_header = "Accept: text/csv"};

    return http_send(&req);
}

/* ---- E1 ---- */

/*
 * as_of 2025-03-31. The year to it: placements open on some day after 2024-03-31. (b) needs
 * care since 2022-09-30 at the latest (30 months before), the carer since 2023-03-31 (2 years),
 * and a 16th birthday after 2025-03-31 (born after 2009-03-31).
 *   Ava   born 2015, entered 2020-01-15; X 2021-03-01..2024-06-01, Y ..2024-10-01, X open.
 *         3 placements in the year (the first ended 2024-06-01, after 2024-03-31): (a) yes.
 *         (b) eligible (in care since 2020, no break: each starts the day the last ended), but
 *         with X again only since 2024-10-01 (Y came between): not counted.
 *   Ben   born 2012, entered 2018-05-01; X 2021-03-01 open. (a) 1: no. (b) eligible, with X
 *         since 2021-03-01: counted.
 *   Cara  born 2008-01-01: 17 on as_of. Y 2020-02-01 open. (a) 1: no. (b) not eligible.
 *   Dan   born 2016, no entered_care_on: care from his first placement, X 2023-01-01 open.
 *         (a) 1: no. (b) in care only since 2023-01-01: not eligible.
 *   Eve   born 2019, entered 2021-01-01; X (U4) 2021-06-01..2023-02-01, Y (A4) open.
 *         (a) 1 (the first ended before the year): no. (b) eligible; with Y only since
 *         2023-02-01, but placed for adoption and that placement with the one before runs from
 *         2021-06-01: counted.
 *   Finn  born 2014, entered 2019-01-01; X 2020-03-01..2022-01-01, a break, X 2023-01-01 open.
 *         (a) 1: no. (b) in care again only since 2023-01-01: not eligible.
 *   Gus   born 2013; X 2022-01-01..2025-03-31: his placement ends on as_of, so he is not looked
 *         after on it: in neither figure.
 * (a) 1 of 6 (Ava): 16.7%. (b) 2 (Ben, Eve) of 3 (Ava, Ben, Eve): 66.7%.
 */
START_TEST(test_E1_stability_figures_and_children)
{
    fx_person tm;
    char x[FX_ID_MAX], y[FX_ID_MAX], p[FX_ID_MAX];
    char ava[FX_ID_MAX], ben[FX_ID_MAX], cara[FX_ID_MAX], dan[FX_ID_MAX], eve[FX_ID_MAX],
        finn[FX_ID_MAX], gus[FX_ID_MAX];
    http_response res;
    const json_t *a, *b;

    team_with_manager(&tm);
    fx_carer_create(&tm, NULL, "approved", 6, x);
    fx_carer_create(&tm, NULL, "approved", 6, y);
    child(&tm, "Ava", "2015-06-01", "2020-01-15", ava);
    place(&tm, ava, x, "U4", "2021-03-01", "2024-06-01", "CARPL", p);
    place(&tm, ava, y, "U4", "2024-06-01", "2024-10-01", "CARPL", p);
    place(&tm, ava, x, "U4", "2024-10-01", NULL, NULL, p);
    child(&tm, "Ben", "2012-01-01", "2018-05-01", ben);
    place(&tm, ben, x, "U4", "2021-03-01", NULL, NULL, p);
    child(&tm, "Cara", "2008-01-01", "2019-06-01", cara);
    place(&tm, cara, y, "U4", "2020-02-01", NULL, NULL, p);
    child(&tm, "Dan", "2016-02-01", NULL, dan);
    place(&tm, dan, x, "U4", "2023-01-01", NULL, NULL, p);
    child(&tm, "Eve", "2019-01-01", "2021-01-01", eve);
    place(&tm, eve, x, "U4", "2021-06-01", "2023-02-01", "CARPL", p);
    place(&tm, eve, y, "A4", "2023-02-01", NULL, NULL, p);
    child(&tm, "Finn", "2014-01-01", "2019-01-01", finn);
    place(&tm, finn, x, "U4", "2020-03-01", "2022-01-01", "CARPL", p);
    place(&tm, finn, x, "U4", "2023-01-01", NULL, NULL, p);
    child(&tm, "Gus", "2013-01-01", "2021-12-01", gus);
    place(&tm, gus, x, "U4", "2022-01-01", "2025-03-31", "CARPL", p);

    res = http_get(tm.token, "/v1/reports/stability?as_of=2025-03-31");
    EXPECT_STATUS(res, 200);
    expect_header_prefix(&res, "Content-Type", "application/json");
    expect_json_string(&res, "as_of", "2025-03-31");
    a = at(res.json, "three_or_more_placements", NULL);
    b = at(res.json, "long_term_stability", NULL);
    ck_assert_int_eq(int_at(a, "numerator", NULL), 1);
    ck_assert_int_eq(int_at(a, "denominator", NULL), 6);
    ck_assert_double_eq_tol(json_real_value(json_object_get(a, "percentage")), 16.7, 1e-9);
    ck_assert_int_eq(int_at(b, "numerator", NULL), 2);
    ck_assert_int_eq(int_at(b, "denominator", NULL), 3);
    ck_assert_double_eq_tol(json_real_value(json_object_get(b, "percentage")), 66.7, 1e-9);

    /* The children behind each figure: (a) the 6 looked after, Ava counted with 3 placements. */
    ck_assert_int_eq(json_array_size(json_object_get(a, "children")), 6);
    ck_assert_ptr_null(find(json_object_get(a, "children"), "child_id", gus));
    ck_assert(json_is_true(json_object_get(find(json_object_get(a, "children"), "child_id", ava),
                                           "counted")));
    ck_assert_int_eq(int_at(find(json_object_get(a, "children"), "child_id", ava),
                            "placements_in_year", NULL), 3);
    ck_assert(json_is_false(json_object_get(find(json_object_get(a, "children"), "child_id", ben),
                                            "counted")));
    /* (b) Ava, Ben and Eve; Ben and Eve counted; Dan's care runs from his first placement. */
    ck_assert_int_eq(json_array_size(json_object_get(b, "children")), 3);
    ck_assert(json_is_false(json_object_get(find(json_object_get(b, "children"), "child_id", ava),
                                            "counted")));
    ck_assert(json_is_true(json_object_get(find(json_object_get(b, "children"), "child_id", ben),
                                           "counted")));
    ck_assert_str_eq(json_string_value(json_object_get(
                         find(json_object_get(b, "children"), "child_id", eve),
                         "placed_for_adoption_since")), "2021-06-01");
    ck_assert_str_eq(json_string_value(json_object_get(
                         find(json_object_get(b, "children"), "child_id", ben),
                         "with_carer_since")), "2021-03-01");
    ck_assert_msg(strncmp(json_string_value(json_object_get(
                               find(json_object_get(a, "children"), "child_id", ava), "name")),
                           "Ava Report-", 11) == 0, "Ava's name is listed");
    http_response_free(&res);

    /* R1: the read of the list is audited with the children it showed. */
    ck_assert_int_eq(db_long("SELECT count(*) FROM audit_log WHERE sub = $1"
                             " AND route = '/v1/reports/stability' AND status = 200"
                             " AND changes->'read' ? $2 AND changes->'read' ? $3"
                             " AND NOT changes->'read' ? $4",
                             4, tm.id, ava, finn, gus), 1);

    /* CSV: the same figures, and one row per child behind them. */
    res = get_csv(tm.token, "/v1/reports/stability?as_of=2025-03-31");
    EXPECT_STATUS(res, 200);
    expect_header(&res, "Content-Type", "text/csv; charset=utf-8");
    {
        json_t *rows = csv_rows(&res);
        const json_t *row = csv_find(rows, "figure", "three_or_more_placements");

        ck_assert_str_eq(cell(json_array_get(rows, 0), 0), "row");
        ck_assert_str_eq(cell(row, 2), "1");
        ck_assert_str_eq(cell(row, 3), "6");
        ck_assert_str_eq(cell(row, 4), "16.7");
        row = csv_find(rows, "figure", "long_term_stability");
        ck_assert_str_eq(cell(row, 2), "2");
        ck_assert_str_eq(cell(row, 3), "3");
        ck_assert_str_eq(cell(row, 4), "66.7");
        /* 1 header + 2 figures + 6 children of (a) + 3 of (b) */
        ck_assert_int_eq(json_array_size(rows), 12);
        json_decref(rows);
    }
    http_response_free(&res);

    /* The administrator gets the figures of the team, without the children. */
    {
        char path[512];

        snprintf(path, sizeof path, "/v1/reports/stability?as_of=2025-03-31&team=%s", tm.team);
        res = http_get(fx_admin_token(), "%s", path);
        EXPECT_STATUS(res, 200);
        ck_assert_int_eq(int_at(res.json, "three_or_more_placements", "denominator"), 6);
        ck_assert_int_eq(int_at(res.json, "long_term_stability", "numerator"), 2);
        ck_assert_ptr_null(at(res.json, "three_or_more_placements", "children"));
        ck_assert_ptr_null(at(res.json, "long_term_stability", "children"));
        http_response_free(&res);
    }
}
END_TEST

/* ---- U3 ---- */

/*
 * October 2024, with the stability lookback (U2) of 12 weeks: a stability meeting counts when
 * held from 2024-07-13 to the ending (e1) and from 2024-07-28 (e2).
 *   e1 born 2015-06-01, in-house carer, U4, ended 2024-10-05 CREQB (age 9: 5-9); stability
 *      meeting held 2024-09-01 (yes); unplanned-ending meeting held on the window's first day:
 *      held_in_window.
 *   e2 born 2020-03-01, IFA carer, U6, ended 2024-10-20 CHILD (age 4: 0-4); stability meeting
 *      2024-05-01 (too early: no); waived: waived.
 *   e3 born 2008-01-15, in-house, U4, ended 2024-10-31 ALLEG (age 16: 16+); no stability
 *      meeting (no); its meeting held the day after the window closed: neither.
 *   Not in the month: e4 ended 2024-11-01 CREQO; e5 ended 2024-10-10 CARPL (planned).
 * Total 3: reasons ALLEG 1, CHILD 1, CREQB 1; types U4 2, U6 1; ages 0-4 1, 5-9 1, 10-15 0,
 * 16+ 1; in_house 2, ifa 1; stability before yes 1, no 2; meeting held_in_window 1, waived 1,
 * neither 1.
 */
START_TEST(test_U3_breakdowns_of_a_month)
{
    fx_person tm;
    char agency[FX_ID_MAX], x[FX_ID_MAX], z[FX_ID_MAX];
    char c1[FX_ID_MAX], c2[FX_ID_MAX], c3[FX_ID_MAX], c4[FX_ID_MAX], c5[FX_ID_MAX];
    char p1[FX_ID_MAX], p2[FX_ID_MAX], p3[FX_ID_MAX], p4[FX_ID_MAX], p5[FX_ID_MAX];
    http_response res;
    const json_t *e;

    team_with_manager(&tm);
    fx_unique(agency, sizeof agency, "ifa");
    fx_carer_create(&tm, NULL, "approved", 6, x);
    fx_carer_create(&tm, agency, "approved", 6, z);
    child(&tm, "Ed", "2015-06-01", "2020-01-01", c1);
    place(&tm, c1, x, "U4", "2021-03-01", "2024-10-05", "CREQB", p1);
    child(&tm, "Flo", "2020-03-01", "2021-01-01", c2);
    place(&tm, c2, z, "U6", "2022-01-01", "2024-10-20", "CHILD", p2);
    child(&tm, "Gil", "2008-01-15", "2022-06-01", c3);
    place(&tm, c3, x, "U4", "2023-01-01", "2024-10-31", "ALLEG", p3);
    child(&tm, "Hal", "2012-01-01", "2022-06-01", c4);
    place(&tm, c4, x, "U4", "2023-01-01", "2024-11-01", "CREQO", p4);
    child(&tm, "Ivy", "2012-01-01", "2022-06-01", c5);
    place(&tm, c5, z, "U4", "2023-01-01", "2024-10-10", "CARPL", p5);

    sql("INSERT INTO meetings (type, child_id, carer_id, scheduled_at, chair_id, status, held_on,"
        " created_by) VALUES ('stability', '%s', '%s', '2024-09-01T10:00:00Z', '%s', 'held',"
        " '2024-09-01', '%s'), ('stability', '%s', '%s', '2024-05-01T10:00:00Z', '%s', 'held',"
        " '2024-05-01', '%s')", c1, x, tm.id, tm.id, c2, z, tm.id, tm.id);
    sql("INSERT INTO meetings (type, child_id, placement_id, scheduled_at, chair_id, status,"
        " held_on, created_by)"
        " SELECT 'unplanned_ending', p.child_id, p.id, now(), '%s', 'held',"
        "        CASE WHEN p.id = '%s' THEN p.u1_earliest_on ELSE p.u1_latest_on + 1 END, '%s'"
        "   FROM placements p WHERE p.id IN ('%s', '%s')", tm.id, p1, tm.id, p1, p3);
    sql("UPDATE placements SET u1_waiver_reason = 'stability meeting held', u1_waived_by = '%s',"
        " u1_waived_at = now() WHERE id = '%s'", tm.id, p2);

    res = http_get(tm.token, "/v1/reports/breakdowns?month=2024-10");
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "month", "2024-10");
    ck_assert_int_eq(int_at(res.json, "total", NULL), 3);
    ck_assert_int_eq(json_array_size(at(res.json, "by_reason", NULL)), 3);
    ck_assert_int_eq(tally(at(res.json, "by_reason", NULL), "ALLEG"), 1);
    ck_assert_int_eq(tally(at(res.json, "by_reason", NULL), "CHILD"), 1);
    ck_assert_int_eq(tally(at(res.json, "by_reason", NULL), "CREQB"), 1);
    ck_assert_int_eq(json_array_size(at(res.json, "by_placement_type", NULL)), 2);
    ck_assert_int_eq(tally(at(res.json, "by_placement_type", NULL), "U4"), 2);
    ck_assert_int_eq(tally(at(res.json, "by_placement_type", NULL), "U6"), 1);
    ck_assert_int_eq(tally(at(res.json, "by_age_band", NULL), "0-4"), 1);
    ck_assert_int_eq(tally(at(res.json, "by_age_band", NULL), "5-9"), 1);
    ck_assert_int_eq(tally(at(res.json, "by_age_band", NULL), "10-15"), 0);
    ck_assert_int_eq(tally(at(res.json, "by_age_band", NULL), "16+"), 1);
    ck_assert_int_eq(tally(at(res.json, "by_provider", NULL), "in_house"), 2);
    ck_assert_int_eq(tally(at(res.json, "by_provider", NULL), "ifa"), 1);
    ck_assert_int_eq(tally(at(res.json, "by_provider", NULL), "not_registered"), 0);
    ck_assert_int_eq(tally(at(res.json, "stability_meeting_before", NULL), "yes"), 1);
    ck_assert_int_eq(tally(at(res.json, "stability_meeting_before", NULL), "no"), 2);
    ck_assert_int_eq(tally(at(res.json, "unplanned_ending_meeting", NULL), "held_in_window"), 1);
    ck_assert_int_eq(tally(at(res.json, "unplanned_ending_meeting", NULL), "waived"), 1);
    ck_assert_int_eq(tally(at(res.json, "unplanned_ending_meeting", NULL), "neither"), 1);
    ck_assert_int_eq(json_array_size(at(res.json, "endings", NULL)), 3);
    e = find(at(res.json, "endings", NULL), "placement_id", p2);
    ck_assert_ptr_nonnull(e);
    ck_assert(json_member_is(e, "age_band", "0-4"));
    ck_assert(json_member_is(e, "provider", "ifa"));
    ck_assert(json_member_is(e, "unplanned_ending_meeting", "waived"));
    ck_assert(json_is_false(json_object_get(e, "stability_meeting_before")));
    ck_assert_ptr_null(find(at(res.json, "endings", NULL), "placement_id", p4));
    ck_assert_ptr_null(find(at(res.json, "endings", NULL), "placement_id", p5));
    http_response_free(&res);
    ck_assert_int_eq(db_long("SELECT count(*) FROM audit_log WHERE sub = $1"
                             " AND route = '/v1/reports/breakdowns' AND status = 200"
                             " AND jsonb_array_length(changes->'read') = 3"
                             " AND changes->'read' ? $2",
                             2, tm.id, c1), 1);

    res = get_csv(tm.token, "/v1/reports/breakdowns?month=2024-10");
    EXPECT_STATUS(res, 200);
    expect_header(&res, "Content-Type", "text/csv; charset=utf-8");
    {
        json_t *rows = csv_rows(&res);

        ck_assert_str_eq(cell(csv_find(rows, "total", NULL), 2), "3");
        ck_assert_str_eq(cell(csv_find(rows, "by_age_band", "16+"), 2), "1");
        ck_assert_str_eq(cell(csv_find(rows, "by_provider", "in_house"), 2), "2");
        ck_assert_str_eq(cell(csv_find(rows, "unplanned_ending_meeting", "neither"), 2), "1");
        ck_assert_int_eq(json_array_size(rows), 1 + 1 + 3 + 2 + 4 + 3 + 2 + 3 + 3);
        json_decref(rows);
    }
    http_response_free(&res);

    res = http_get(tm.token, "/v1/reports/breakdowns?month=2024-13");
    expect_problem(&res, 400, "bad-request");
    http_response_free(&res);
}
END_TEST

/* ---- compliance ---- */

/*
 * February 2024 (London days 1 to 29: GMT, so the period is [2024-02-01T00:00Z,
 * 2024-03-01T00:00Z)). Actions owned by the team's CSW and manager:
 *   a1 S4 due 02-10 done 02-09: in time.     a2 S4 due 02-12 done 02-15: late.
 *   a3 S4 due 02-20 open (past due).          a7 S4 due 02-05 cancelled.
 *   a4 S6 due 02-29 23:30Z open (past due).
 *   Outside: a5 S6 due 03-01 00:30Z; a6 S6 due 01-31 23:59Z; a8 manual (no rule) due 02-10.
 * S4: due 4, in time 1, late 1, open 1 (overdue 1), cancelled 1. S6: due 1, open 1 (overdue 1).
 */
START_TEST(test_compliance_by_rule_and_team)
{
    fx_person tm, csw;
    char kid[FX_ID_MAX];
    http_response res;
    const json_t *s4, *s6;

    team_with_manager(&tm);
    fx_person_create(&csw, "csw", tm.team);
    fx_child_create(&tm, kid);
    sql("INSERT INTO actions (title, subject_type, subject_id, owner_id, due_at, status,"
        " source_rule, closed_at, created_by) VALUES"
        " ('a1', 'child', '%s', '%s', '2024-02-10T12:00Z', 'done', 'S4', '2024-02-09T12:00Z', 't'),"
        " ('a2', 'child', '%s', '%s', '2024-02-12T12:00Z', 'done', 'S4', '2024-02-15T12:00Z', 't'),"
        " ('a3', 'child', '%s', '%s', '2024-02-20T12:00Z', 'open', 'S4', NULL, 't'),"
        " ('a7', 'child', '%s', '%s', '2024-02-05T12:00Z', 'cancelled', 'S4', '2024-02-04T12:00Z', 't'),"
        " ('a4', 'child', '%s', '%s', '2024-02-29T23:30Z', 'open', 'S6', NULL, 't'),"
        " ('a5', 'child', '%s', '%s', '2024-03-01T00:30Z', 'open', 'S6', NULL, 't'),"
        " ('a6', 'child', '%s', '%s', '2024-01-31T23:59Z', 'open', 'S6', NULL, 't'),"
        " ('a8', 'child', '%s', '%s', '2024-02-10T12:00Z', 'open', NULL, NULL, 't')",
        kid, csw.id, kid, csw.id, kid, tm.id, kid, csw.id, kid, tm.id, kid, csw.id, kid, csw.id,
        kid, csw.id);

    res = http_get(tm.token, "/v1/reports/compliance?from=2024-02-01&to=2024-02-29");
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(at(res.json, "rules", NULL)), 2);
    s4 = find(at(res.json, "rules", NULL), "rule", "S4");
    s6 = find(at(res.json, "rules", NULL), "rule", "S6");
    ck_assert_int_eq(int_at(s4, "due", NULL), 4);
    ck_assert_int_eq(int_at(s4, "done_in_time", NULL), 1);
    ck_assert_int_eq(int_at(s4, "done_late", NULL), 1);
    ck_assert_int_eq(int_at(s4, "open", NULL), 1);
    ck_assert_int_eq(int_at(s4, "open_overdue", NULL), 1);
    ck_assert_int_eq(int_at(s4, "cancelled", NULL), 1);
    ck_assert_int_eq(json_array_size(json_object_get(s4, "teams")), 1);
    ck_assert(json_member_is(json_array_get(json_object_get(s4, "teams"), 0), "team", tm.team));
    ck_assert_int_eq(int_at(json_array_get(json_object_get(s4, "teams"), 0), "due", NULL), 4);
    ck_assert_int_eq(int_at(s6, "due", NULL), 1);
    ck_assert_int_eq(int_at(s6, "open", NULL), 1);
    ck_assert_int_eq(int_at(s6, "done_in_time", NULL), 0);
    http_response_free(&res);

    res = get_csv(tm.token, "/v1/reports/compliance?from=2024-02-01&to=2024-02-29");
    EXPECT_STATUS(res, 200);
    {
        json_t *rows = csv_rows(&res);
        const json_t *row = csv_find(rows, "S4", "all");

        ck_assert_str_eq(cell(json_array_get(rows, 0), 2), "due");
        ck_assert_str_eq(cell(row, 2), "4");
        ck_assert_str_eq(cell(row, 3), "1");
        ck_assert_str_eq(cell(row, 4), "1");
        ck_assert_str_eq(cell(row, 5), "1");
        ck_assert_str_eq(cell(row, 7), "1");
        ck_assert_str_eq(cell(csv_find(rows, "S6", tm.team), 5), "1");
        ck_assert_int_eq(json_array_size(rows), 5); /* header, S4 all + team, S6 all + team */
        json_decref(rows);
    }
    http_response_free(&res);

    res = http_get(tm.token, "/v1/reports/compliance?from=2024-03-01&to=2024-02-01");
    expect_problem(&res, 400, "bad-request");
    http_response_free(&res);
}
END_TEST

/* ---- P6 ---- */

/*
 * A month of its own (day 3 and day 24). Panel 1 (day 3): chair and 3 core members attend:
 * quorate. Panel 2 (day 24): chair and 2 core attend: not quorate. Panel 3 (day 10): nobody's
 * attendance recorded: not held.
 * Match m1 (started 60 days before panel 1) recommended at panel 1, agreed 2 days after it and
 * circulated 3 days after it (both within M7a's 7 and M7's 10 working days: at most 3 working
 * days). Match m2 (started 100 days before panel 2) deferred at panel 1, recommended at panel 2,
 * decided 30 days later (over 7 working days, and 10), not circulated.
 * Heard 2, recommended 2, agreed 1. Family finding to panel: 60 and 100: median 80, longest
 * 100. Panel to decision: 2 and 30: median 16, longest 30. Decided 2, within M7a 1;
 * circulated 1, within M7 1. m1's placement with its carer ended unplanned on day 20, with an
 * unplanned-ending meeting's learning recorded: 1 premature ending, 1 with learning.
 */
START_TEST(test_P6_panel_report_of_a_period)
{
    fx_person tm, adm, chair, c1, c2, c3, finder;
    char month[16] = "", d3[16], d10[16], d20[16], d24[16], first[16], last[16];
    char k1[FX_ID_MAX], k2[FX_ID_MAX], carer[FX_ID_MAX], pl[FX_ID_MAX];
    char path[256];
    http_response res;

    team_with_manager(&tm);
    fx_person_create(&adm, "adm", NULL);
    fx_person_create(&chair, "chair", NULL);
    fx_person_create(&c1, "panel_member", NULL);
    fx_person_create(&c2, "panel_member", NULL);
    fx_person_create(&c3, "panel_member", NULL);
    fx_person_create(&finder, "family_finder", NULL);
    mfx_unique_day(month, 3, d3);
    mfx_unique_day(month, 10, d10);
    mfx_unique_day(month, 20, d20);
    mfx_unique_day(month, 24, d24);
    mfx_unique_day(month, 1, first);
    mfx_unique_day(month, 28, last);
    fx_carer_create(&tm, NULL, "approved", 6, carer);
    fx_child_create(&tm, k1);
    fx_child_create(&tm, k2);
    sql("WITH p AS (INSERT INTO panels (panel_date, kind, created_by) VALUES"
        "  ('%s', 'matching', 't'), ('%s', 'matching', 't'), ('%s', 'matching', 't')"
        "  RETURNING id, panel_date)"
        " INSERT INTO panel_members (panel_id, person_id, seat, attended)"
        " SELECT p.id, s.person, s.seat,"
        "        CASE WHEN p.panel_date = '%s' THEN NULL"
        "             WHEN p.panel_date = '%s' AND s.person = '%s' THEN false ELSE true END"
        "   FROM p CROSS JOIN (VALUES ('%s', 'chair'), ('%s', 'core'), ('%s', 'core'),"
        "                             ('%s', 'core')) s (person, seat)",
        d3, d24, d10, d10, d24, c3.id, chair.id, c1.id, c2.id, c3.id);
    sql("INSERT INTO matches (child_id, carer_id, kind, status, finder_role, finder_id,"
        " started_on, created_by) VALUES ('%s', '%s', 'long_term', 'submitted', 'family_finder',"
        " '%s', '%s'::date - 60, 't'), ('%s', '%s', 'long_term', 'submitted', 'family_finder',"
        " '%s', '%s'::date - 100, 't')",
        k1, carer, finder.id, d3, k2, carer, finder.id, d24);
    sql("INSERT INTO panel_items (panel_id, part, type, match_id, child_id, carer_id, status,"
        " recommendation, created_by)"
        " SELECT p.id, 2, 'match', m.id, m.child_id, m.carer_id, x.status,"
        "        CASE WHEN x.status = 'recommended' THEN '{\"outcome\": \"approve\"}'::jsonb END, 't'"
        "   FROM (VALUES ('%s', '%s'::date, 'recommended'), ('%s', '%s'::date, 'deferred'),"
        "                ('%s', '%s'::date, 'recommended')) x (child, day, status)"
        "   JOIN matches m ON m.child_id = x.child::uuid"
        "   JOIN panels p ON p.panel_date = x.day AND p.created_by = 't'"
        "    AND EXISTS (SELECT 1 FROM panel_members pm WHERE pm.panel_id = p.id"
        "                   AND pm.person_id = '%s')",
        k1, d3, k2, d3, k2, d24, chair.id);
    sql("UPDATE matches SET status = CASE WHEN child_id = '%s' THEN 'agreed' ELSE 'not_agreed' END,"
        " decision_agreed = child_id = '%s', decision_reasons = 'r', decided_by = '%s',"
        " decided_at = CASE WHEN child_id = '%s' THEN london_day_start('%s'::date + 2)"
        "                   ELSE london_day_start('%s'::date + 30) END + interval '12 hours',"
        " decision_circulated_at = CASE WHEN child_id = '%s'"
        "   THEN london_day_start('%s'::date + 3) + interval '12 hours' END"
        " WHERE child_id IN ('%s', '%s')",
        k1, k1, adm.id, k1, d3, d24, k1, d3, k1, k2);
    /* m1's placement with its carer ends unplanned on day 20; its meeting records learning. */
    sql("WITH p AS (INSERT INTO placements (child_id, carer_id, start_date, placement_type,"
        " end_date, end_reason, unplanned, created_by) VALUES ('%s', '%s', '%s', 'U4', '%s',"
        " 'CREQB', true, 't') RETURNING id, child_id)"
        " INSERT INTO meetings (type, child_id, placement_id, scheduled_at, chair_id, status,"
        " held_on, learning, created_by) SELECT 'unplanned_ending', child_id, id, now(), '%s',"
        " 'held', '%s', 'Support the carer sooner', 't' FROM p",
        k1, carer, d3, d20, tm.id, d20);
    snprintf(pl, sizeof pl, "%s", "");

    snprintf(path, sizeof path, "/v1/reports/panel?from=%s&to=%s", first, last);
    res = http_get(adm.token, "%s", path);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(int_at(res.json, "panels", "held"), 2);
    ck_assert_int_eq(int_at(res.json, "panels", "quorate"), 1);
    ck_assert_int_eq(int_at(res.json, "matches", "heard"), 2);
    ck_assert_int_eq(int_at(res.json, "matches", "recommended"), 2);
    ck_assert_int_eq(int_at(res.json, "matches", "agreed"), 1);
    ck_assert_double_eq_tol(json_number_value(at(at(res.json, "days_family_finding_to_panel", NULL),
                                                 "median", NULL)), 80.0, 1e-9);
    ck_assert_int_eq(int_at(at(res.json, "days_family_finding_to_panel", NULL), "longest", NULL),
                     100);
    ck_assert_double_eq_tol(json_number_value(at(at(res.json, "days_panel_to_decision", NULL),
                                                 "median", NULL)), 16.0, 1e-9);
    ck_assert_int_eq(int_at(at(res.json, "days_panel_to_decision", NULL), "longest", NULL), 30);
    ck_assert_int_eq(int_at(res.json, "decisions", "decided"), 2);
    ck_assert_int_eq(int_at(res.json, "decisions", "within_m7a"), 1);
    ck_assert_int_eq(int_at(res.json, "circulations", "circulated"), 1);
    ck_assert_int_eq(int_at(res.json, "circulations", "within_m7"), 1);
    ck_assert_int_eq(int_at(res.json, "premature_endings", "count"), 1);
    ck_assert_int_eq(int_at(res.json, "premature_endings", "with_learning"), 1);
    ck_assert(json_member_is(json_array_get(at(res.json, "premature_endings", "endings"), 0),
                             "learning", "Support the carer sooner"));
    ck_assert(json_member_is(json_array_get(at(res.json, "premature_endings", "endings"), 0),
                             "child_id", k1));
    http_response_free(&res);

    res = get_csv(chair.token, path);
    EXPECT_STATUS(res, 200);
    {
        json_t *rows = csv_rows(&res);

        ck_assert_str_eq(cell(csv_find(rows, "figure", "panels.quorate"), 2), "1");
        ck_assert_str_eq(cell(csv_find(rows, "figure", "days_panel_to_decision.median"), 2),
                         "16.0");
        ck_assert_str_eq(cell(csv_find(rows, "premature_ending", NULL), 9),
                         "Support the carer sooner");
        json_decref(rows);
    }
    http_response_free(&res);

    /* The administrator: figures, not the children or their learning. */
    res = http_get(fx_admin_token(), "%s", path);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(int_at(res.json, "premature_endings", "count"), 1);
    ck_assert_ptr_null(at(res.json, "premature_endings", "endings"));
    http_response_free(&res);

    /* A team manager does not read the panel report. */
    res = http_get(tm.token, "%s", path);
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
}
END_TEST

/* ---- who may read them ---- */

START_TEST(test_reports_refused_to_other_roles)
{
    static const char *const ROLES[] = {"csw", "ssw", "iro", "family_finder", "panel_member",
                                        "voice_ambassador", "agency"};
    static const char *const PATHS[] = {
        "/v1/reports/stability?as_of=2025-03-31", "/v1/reports/breakdowns?month=2024-10",
        "/v1/reports/compliance?from=2024-01-01&to=2024-01-31",
        "/v1/reports/panel?from=2024-01-01&to=2024-01-31"};
    fx_person tm, other;

    for (size_t r = 0; r < sizeof ROLES / sizeof *ROLES; r++) {
        fx_person p;

        if (strcmp(ROLES[r], "agency") == 0)
            fx_agency_create(&p, "ifa-reports");
        else
            fx_token_only(&p, ROLES[r]);
        for (size_t k = 0; k < 4; k++) {
            http_response res = http_get(p.token, "%s", PATHS[k]);

            expect_problem(&res, 403, "forbidden");
            http_response_free(&res);
        }
    }
    /* A team manager reads their own team only; one with no team reads nothing. */
    team_with_manager(&tm);
    fx_unique(other.team, sizeof other.team, "elsewhere");
    {
        http_response res = http_get(tm.token, "/v1/reports/stability?team=%s", other.team);

        expect_problem(&res, 403, "forbidden");
        http_response_free(&res);
    }
    fx_person_create(&other, "team_manager", NULL);
    {
        http_response res = http_get(other.token, "/v1/reports/compliance?from=2024-01-01&to=2024-01-31");

        expect_problem(&res, 403, "forbidden");
        http_response_free(&res);
    }
    ck_assert_int_eq(db_long("SELECT count(*) FROM audit_log WHERE sub = $1"
                             " AND route = '/v1/reports/compliance' AND status = 403",
                             1, other.id), 1);
    {
        http_response res = http_get(tm.token, "/v1/reports/stability?as_of=2025-02-30");

        expect_problem(&res, 400, "bad-request");
        http_response_free(&res);
    }
}
END_TEST

Suite *reports_suite(void)
{
    Suite *s = suite_create("reports");
    TCase *tc = tcase_create("reports");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_E1_stability_figures_and_children);
    tcase_add_test(tc, test_U3_breakdowns_of_a_month);
    tcase_add_test(tc, test_compliance_by_rule_and_team);
    tcase_add_test(tc, test_P6_panel_report_of_a_period);
    tcase_add_test(tc, test_reports_refused_to_other_roles);
    suite_add_tcase(s, tc);
    return s;
}
