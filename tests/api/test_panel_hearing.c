/*
 * test_panel_hearing.c - a match at panel and after it (spec5): papers circulated in time (M5,
 * counted in working days around the Spring bank holiday) or accepted late by the chair; the
 * recommendation only with quorum (M8), at the last panel of the month for a formal approval
 * (M9), with the child's wishes and, for a disabled child, accessibility and health management
 * (M6), and the child's invitation (M12); a deferral; the M7/M7a actions it creates; the Agency
 * Decision Maker's decision (M7, M7a) and its circulation (M7); letters and certificate (M10);
 * who reads the papers, and the voice ambassador never seeing birth-family contact details.
 *
 * Scenes are built through the API. The database is shared and never emptied, so panels whose
 * month matters (M9) sit in a random month far in the future that no other test uses.
 */
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "match_fixtures.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A complete match of the scene, the carer proposed (see mfx_match_make). */
static void match_make(const mfx_scene *h, mfx_match *m, json_t *child_extra, json_t *carer_extra)
{
    mfx_match_make(h, m, NULL, MFX_COMPLETE | MFX_PROPOSE, child_extra, carer_extra);
}

/* Records whether `p` attended `panel`. */
static void attend(const mfx_scene *h, const char *panel, const fx_person *p, int attended)
{
    mfx_expect_only(http_post(h->padmin.token,
                              json_pack("{s:s, s:b}", "person_id", p->id, "attended", attended),
                              "/v1/panels/%s/attendance", panel),
                    200, NULL);
}

/* Seats `p` in `seat` on `panel`. */
static void seat(const mfx_scene *h, const char *panel, const fx_person *p, const char *seat_name)
{
    mfx_expect_only(http_post(h->padmin.token,
                              json_pack("{s:s, s:s}", "person_id", p->id, "seat", seat_name),
                              "/v1/panels/%s/members", panel),
                    201, NULL);
}

/* A matching panel (Part 2) on `date` whose decision maker is `dm` (NULL: none): the chair and
 * three core members seated, the chair and the first `cores` core members attending. */
static void panel_make(const mfx_scene *h, const char *date, const char *dm, int cores, char *id)
{
    json_t *body = json_pack("{s:s, s:s, s:i, s:s?}", "date", date, "kind", "matching", "part", 2,
                             "decision_maker_id", dm);

    mfx_create(&h->padmin, body, "/v1/panels", id);
    mfx_expect_row("panels", id, "decision_maker_id", dm);
    seat(h, id, &h->chair, "chair");
    attend(h, id, &h->chair, 1);
    for (int i = 0; i < 3; i++) {
        seat(h, id, &h->core[i], "core");
        attend(h, id, &h->core[i], i < cores);
    }
}

/* Submits the match to `panel` as its finder and keeps the new item's id. */
static void list_match(const mfx_scene *h, mfx_match *m, const char *panel)
{
    char path[FX_ID_MAX + 32];

    snprintf(path, sizeof path, "/v1/matches/%s/submit", m->match);
    mfx_create(&h->finder, json_pack("{s:s}", "panel_id", panel), path, m->item);
}

/*
 * The service has no clock to wind back, and papers cannot be circulated before their item was
 * listed: a test about a panel in the past (May 2026) says here that its items were listed on
 * `day`, as they would have been then.
 */
static void listed_on(const char *panel, const char *day)
{
    PGconn *conn = db_connect();
    const char *params[] = {panel, day};
    PGresult *res = PQexecParams(conn,
                                 "update panel_items set created_at = $2::date"
                                 " where panel_id = $1::uuid",
                                 2, NULL, params, NULL, NULL, 0);

    ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK, "backdating the items: %s",
                  PQresultErrorMessage(res));
    PQclear(res);
    PQfinish(conn);
}

/* Circulates the panel's papers as the panel administrator at `when` (NULL: now). */
static http_response circulate(const mfx_scene *h, const char *panel, const char *when)
{
    return http_post(h->padmin.token, json_pack("{s:s?}", "circulated_at", when),
                     "/v1/panels/%s/papers/circulate", panel);
}

/* A full recommendation body of `outcome` (wishes heard directly, the child invited). */
static json_t *rec_body(const char *outcome)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "outcome", outcome, "reasons",
                     "A secure attachment is forming", "minutes", "Final minutes, item 3",
                     "wishes_and_feelings", "Wants to stay with Pat", "wishes_via", "child",
                     "child_invited", 1);
}

static http_response recommend(const fx_person *who, const char *panel, const mfx_match *m,
                               json_t *body)
{
    return http_post(who->token, body, "/v1/panels/%s/items/%s/recommendation", panel, m->item);
}

static http_response late(const fx_person *who, const char *panel, const mfx_match *m, json_t *body)
{
    return http_post(who->token, body, "/v1/panels/%s/items/%s/late-papers", panel, m->item);
}

static http_response circulated(const fx_person *who, const mfx_match *m)
{
    return http_post(who->token, json_object(), "/v1/matches/%s/decision/circulated", m->match);
}

static http_response decide(const fx_person *who, const mfx_match *m, json_t *body)
{
    return http_post(who->token, body, "/v1/matches/%s/decision", m->match);
}

/* A quorate panel alone in a month of its own (so the last of its month), decision maker `dm`,
 * `m` listed on it and its papers circulated now (on time). `date` gets 16 bytes. */
static void heard_panel(const mfx_scene *h, mfx_match *m, const char *dm, char *panel, char *date)
{
    char month[16] = "";

    mfx_unique_day(month, 12, date);
    panel_make(h, date, dm, 3, panel);
    list_match(h, m, panel);
    mfx_expect_only(circulate(h, panel, NULL), 200, NULL);
}

START_TEST(test_m5_papers_on_time_before_the_spring_bank_holiday)
{
    mfx_scene h;
    mfx_match early, tardy;
    char on_time[FX_ID_MAX], late_panel[FX_ID_MAX];
    http_response res;

    mfx_scene_create(&h, 1);
    match_make(&h, &early, NULL, NULL);
    match_make(&h, &tardy, NULL, NULL);
    /* Tuesday 26 May 2026; Monday 25 May is the Spring bank holiday, so the 5 working days
     * before the panel are 22, 21, 20, 19 and 18 May: papers must be out by Monday 18 May. */
    panel_make(&h, "2026-05-26", h.adm.id, 3, on_time);
    panel_make(&h, "2026-05-26", h.adm.id, 3, late_panel);
    list_match(&h, &early, on_time);
    list_match(&h, &tardy, late_panel);
    res = circulate(&h, on_time, "2026-05-18T10:00:00Z"); /* before the item was listed */
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "circulated_at");
    http_response_free(&res);
    listed_on(on_time, "2026-05-11");
    listed_on(late_panel, "2026-05-11");

    mfx_expect_only(
        http_post(h.chair.token, json_object(), "/v1/panels/%s/papers/circulate", on_time), 403,
        "forbidden");
    res = circulate(&h, on_time, "2999-01-01T10:00:00Z");
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "circulated_at");
    http_response_free(&res);
    mfx_expect_row("panel_items", early.item, "papers_circulated_at", NULL);

    res = circulate(&h, on_time, "2026-05-18T10:00:00Z");
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "panel_id", on_time);
    mfx_expect_at(&res, "circulated_at", "2026-05-18T10:00:00Z");
    ck_assert_int_eq(json_array_size(mfx_at(res.json, "items")), 1);
    mfx_expect_at(&res, "items.0.id", early.item);
    mfx_expect_at(&res, "items.0.papers_circulated_at", "2026-05-18T10:00:00Z");
    mfx_expect_at(&res, "items.0.papers_on_time", "true");
    mfx_expect_at(&res, "items.0.may_be_heard", "true");
    http_response_free(&res);
    mfx_expect_row("panel_items", early.item, "iso_utc(papers_circulated_at)",
                   "2026-05-18T10:00:00Z");

    res = circulate(&h, late_panel, "2026-05-19T10:00:00Z");
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "items.0.id", tardy.item);
    mfx_expect_at(&res, "items.0.papers_on_time", "false");
    mfx_expect_at(&res, "items.0.may_be_heard", "false");
    mfx_expect_at(&res, "items.0.late_papers", NULL);
    http_response_free(&res);
    mfx_expect_row("panel_items", tardy.item, "iso_utc(papers_circulated_at)",
                   "2026-05-19T10:00:00Z");
    /* papers on time need no acceptance */
    mfx_expect_only(late(&h.chair, on_time, &early, json_pack("{s:s}", "reason", "x")), 409,
                    "conflict");
    mfx_expect_row("panel_items", early.item, "late_papers_reason", NULL);
}
END_TEST

START_TEST(test_m5_late_papers_heard_once_the_chair_accepts_them)
{
    mfx_scene h;
    mfx_match m;
    fx_person other_chair;
    char panel[FX_ID_MAX];
    char *due;
    http_response res;

    mfx_scene_create(&h, 1);
    fx_person_create(&other_chair, "chair", NULL);
    match_make(&h, &m, NULL, NULL);
    panel_make(&h, "2026-05-26", h.adm.id, 3, panel);
    list_match(&h, &m, panel);
    listed_on(panel, "2026-05-11");

    res = recommend(&h.chair, panel, &m, rec_body("not_approve")); /* papers not circulated */
    mfx_expect_rule(&res, 422, "M5", NULL);
    mfx_expect_only(late(&h.chair, panel, &m, json_pack("{s:s}", "reason", "x")), 409, "conflict");
    mfx_expect_only(circulate(&h, panel, "2026-05-19T10:00:00Z"), 200, NULL);
    res = recommend(&h.chair, panel, &m, rec_body("not_approve")); /* late, not accepted */
    mfx_expect_rule(&res, 422, "M5", NULL);
    mfx_expect_row("panel_items", m.item, "status", "listed");
    ck_assert_int_eq(mfx_match_actions(m.match, NULL, NULL), 0);

    mfx_expect_only(late(&h.core[0], panel, &m, json_pack("{s:s}", "reason", "x")), 403,
                    "forbidden");
    mfx_expect_only(late(&other_chair, panel, &m, json_pack("{s:s}", "reason", "x")), 404,
                    "not-found");
    res = late(&h.chair, panel, &m, json_object());
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "reason");
    http_response_free(&res);
    mfx_expect_row("panel_items", m.item, "late_papers_reason", NULL);
    res = late(&h.chair, panel, &m, json_pack("{s:s}", "reason", "The report came a day late"));
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "late_papers.reason", "The report came a day late");
    mfx_expect_at(&res, "late_papers.accepted_by", h.chair.id);
    mfx_expect_at(&res, "papers_on_time", "false");
    mfx_expect_at(&res, "may_be_heard", "true");
    http_response_free(&res);
    mfx_expect_row("panel_items", m.item, "late_papers_accepted_by", h.chair.id);
    /* an acceptance on record is not silently replaced */
    mfx_expect_only(late(&h.chair, panel, &m, json_pack("{s:s}", "reason", "another")), 409,
                    "conflict");
    mfx_expect_row("panel_items", m.item, "late_papers_reason", "The report came a day late");

    res = recommend(&h.chair, panel, &m, rec_body("not_approve"));
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "status", "recommended");
    mfx_expect_at(&res, "recommendation.outcome", "not_approve");
    mfx_expect_at(&res, "recommendation.minutes", "Final minutes, item 3");
    mfx_expect_at(&res, "recommendation.recorded_by", h.chair.id);
    http_response_free(&res);
    mfx_expect_row("panel_items", m.item, "status || ' ' || (recommendation->>'outcome')",
                   "recommended not_approve");
    mfx_expect_row("matches", m.match, "status", "recommended");
    res = http_get(h.finder.token, "/v1/matches/%s", m.match);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "status", "recommended");
    mfx_expect_at(&res, "recommendation.outcome", "not_approve");
    http_response_free(&res);

    /* M7: circulated within 10 working days of the panel date. After Tuesday 26 May 2026 they
     * are 27, 28, 29 May, 1-5 June and 8, 9 June: Tuesday 9 June 2026, ending 23:59:59 BST =
     * 22:59:59Z. The panel administrator who scheduled the panel owns it. */
    due = mfx_working_day_end("2026-05-26", 10);
    ck_assert_str_eq(due, "2026-06-09T22:59:59Z"); /* the database's calendar agrees */
    free(due);
    mfx_expect_action(m.match, "M7", h.padmin.id, "2026-06-09T22:59:59Z", "open");
    /* M7a: the decision maker decides within 7 working days of the day the recommendation
     * was recorded (today in London), by the database's calendar. */
    due = mfx_working_day_end(NULL, 7);
    mfx_expect_action(m.match, "M7a", h.adm.id, due, "open");
    free(due);
    ck_assert_int_eq(mfx_match_events(m.match, "match.recommended"), 1);
    /* no longer listed */
    mfx_expect_only(recommend(&h.chair, panel, &m, rec_body("approve")), 409, "conflict");
}
END_TEST

START_TEST(test_m8_quorum_comes_before_papers)
{
    mfx_scene h;
    mfx_match m;
    fx_person stranger_chair;
    char panel[FX_ID_MAX], date[16], month[16] = "";
    http_response res;

    mfx_scene_create(&h, 1);
    fx_person_create(&stranger_chair, "chair", NULL);
    match_make(&h, &m, NULL, NULL);
    mfx_unique_day(month, 8, date);
    panel_make(&h, date, h.adm.id, 2, panel); /* the third core member is absent */
    list_match(&h, &m, panel);

    mfx_expect_only(recommend(&h.core[0], panel, &m, rec_body("not_approve")), 403, "forbidden");
    mfx_expect_only(recommend(&stranger_chair, panel, &m, rec_body("not_approve")), 404,
                    "not-found");
    res = recommend(&h.chair, panel, &m, rec_body("not_approve")); /* neither quorate nor sent */
    expect_problem(&res, 422, "policy");
    expect_json_string(&res, "rule", "M8");
    ck_assert_msg(json_array_size(json_object_get(res.json, "missing")) > 0,
                  "M8 names the quorum's reasons: %s", res.body);
    http_response_free(&res);
    mfx_expect_row("panel_items", m.item, "status", "listed");
    mfx_expect_row("matches", m.match, "status", "submitted");

    attend(&h, panel, &h.core[2], 1);
    res = recommend(&h.chair, panel, &m, rec_body("not_approve")); /* quorate now */
    mfx_expect_rule(&res, 422, "M5", NULL);
    ck_assert_int_eq(mfx_match_actions(m.match, NULL, NULL), 0);
    res = circulate(&h, panel, NULL);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "items.0.papers_on_time", "true");
    http_response_free(&res);
    /* an If-Match sent must be the item's current ETag (the circulation changed it) */
    mfx_expect_only(http_post_if_match(h.chair.token, "\"1\"", rec_body("not_approve"),
                                       "/v1/panels/%s/items/%s/recommendation", panel, m.item),
                    412, NULL);
    mfx_expect_row("matches", m.match, "status", "submitted");
    mfx_expect_only(recommend(&h.chair, panel, &m, rec_body("not_approve")), 200, NULL);
    mfx_expect_row("matches", m.match, "status", "recommended");
    ck_assert_int_eq(mfx_match_actions(m.match, NULL, NULL), 2);
}
END_TEST

START_TEST(test_m9_formal_approval_at_the_last_panel_of_the_month)
{
    mfx_scene h;
    mfx_match first, second;
    char early[FX_ID_MAX], last[FX_ID_MAX], early_day[16], last_day[16], month[16] = "";
    http_response res;

    mfx_scene_create(&h, 1);
    match_make(&h, &first, NULL, NULL);
    match_make(&h, &second, NULL, NULL);
    mfx_unique_day(month, 6, early_day);
    mfx_unique_day(month, 20, last_day);
    panel_make(&h, early_day, h.adm.id, 3, early); /* the second-to-last panel of the month */
    panel_make(&h, last_day, h.adm.id, 3, last);
    list_match(&h, &first, early);
    list_match(&h, &second, last);
    mfx_expect_only(circulate(&h, early, NULL), 200, NULL);
    mfx_expect_only(circulate(&h, last, NULL), 200, NULL);

    res = recommend(&h.chair, early, &first, rec_body("approve"));
    mfx_expect_rule(&res, 422, "M9", NULL);
    mfx_expect_row("matches", first.match, "status", "submitted");
    mfx_expect_row("panel_items", first.item, "status", "listed");

    res = recommend(&h.chair, last, &second, rec_body("approve"));
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "recommendation.outcome", "approve");
    http_response_free(&res);
    mfx_expect_row("matches", second.match, "status", "recommended");
    /* M9 is about formal approval only: not approving is recorded at any panel */
    mfx_expect_only(recommend(&h.chair, early, &first, rec_body("not_approve")), 200, NULL);
    mfx_expect_row("matches", first.match, "status", "recommended");
}
END_TEST

START_TEST(test_m6_wishes_and_a_disabled_childs_needs)
{
    mfx_scene h;
    mfx_match disabled, other;
    char panel[FX_ID_MAX], date[16];
    json_t *body = json_pack("{s:s, s:s, s:s, s:b}", "outcome", "not_approve", "reasons", "r",
                             "minutes", "m", "child_invited", 1);
    http_response res;

    mfx_scene_create(&h, 1);
    match_make(&h, &disabled, json_pack("{s:{s:s}}", "disability", "needs", "Uses a wheelchair"),
               NULL);
    match_make(&h, &other, NULL, NULL);
    heard_panel(&h, &disabled, h.adm.id, panel, date);
    list_match(&h, &other, panel);
    mfx_expect_only(circulate(&h, panel, NULL), 200, NULL);

    res = recommend(&h.chair, panel, &disabled, json_deep_copy(body));
    mfx_expect_rule(&res, 422, "M6", "wishes_and_feelings", "wishes_via", "accessibility",
                    "health_management", NULL);
    json_object_update_new(body, json_pack("{s:s, s:s}", "wishes_and_feelings",
                                           "Told her advocate she wants to stay", "wishes_via",
                                           "advocate"));
    res = recommend(&h.chair, panel, &disabled, json_deep_copy(body));
    mfx_expect_rule(&res, 422, "M6", "accessibility", "health_management", NULL);
    mfx_expect_row("panel_items", disabled.item, "status", "listed");
    /* a child without a disability needs only the wishes */
    mfx_expect_only(recommend(&h.chair, panel, &other, json_deep_copy(body)), 200, NULL);
    mfx_expect_row("panel_items", other.item, "status", "recommended");

    json_object_update_new(body, json_pack("{s:s, s:s}", "accessibility", "Ramp at the front",
                                           "health_management", "Physio weekly"));
    res = recommend(&h.chair, panel, &disabled, body);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "recommendation.wishes_via", "advocate");
    mfx_expect_at(&res, "recommendation.accessibility", "Ramp at the front");
    mfx_expect_at(&res, "recommendation.health_management", "Physio weekly");
    http_response_free(&res);
    mfx_expect_row("panel_items", disabled.item, "recommendation->>'accessibility'",
                   "Ramp at the front");
    mfx_expect_row("matches", disabled.match, "status", "recommended");
}
END_TEST

START_TEST(test_m12_child_invited_or_the_reason_why_not)
{
    mfx_scene h;
    mfx_match m;
    char panel[FX_ID_MAX], date[16];
    json_t *body = rec_body("not_approve");
    http_response res;

    mfx_scene_create(&h, 1);
    match_make(&h, &m, NULL, NULL);
    heard_panel(&h, &m, h.adm.id, panel, date);
    json_object_del(body, "child_invited");
    res = recommend(&h.chair, panel, &m, json_deep_copy(body));
    mfx_expect_rule(&res, 422, "M12", "child_invited", NULL);
    json_object_set_new(body, "child_invited", json_false());
    res = recommend(&h.chair, panel, &m, json_deep_copy(body));
    mfx_expect_rule(&res, 422, "M12", "child_not_invited_reason", NULL);
    mfx_expect_row("matches", m.match, "status", "submitted");
    json_object_set_new(body, "child_not_invited_reason", json_string("Sitting exams that day"));
    res = recommend(&h.chair, panel, &m, body);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "recommendation.child_invited", "false");
    mfx_expect_at(&res, "recommendation.child_not_invited_reason", "Sitting exams that day");
    http_response_free(&res);
    mfx_expect_row("panel_items", m.item, "recommendation->>'child_not_invited_reason'",
                   "Sitting exams that day");
}
END_TEST

START_TEST(test_deferred_match_goes_back_to_proposed)
{
    mfx_scene h;
    mfx_match m;
    char panel[FX_ID_MAX], later[FX_ID_MAX], date[16], month[16] = "";
    http_response res;

    mfx_scene_create(&h, 1);
    match_make(&h, &m, NULL, NULL);
    mfx_unique_day(month, 3, date);
    panel_make(&h, date, h.adm.id, 0, panel); /* not quorate, papers never circulated */
    mfx_unique_day(month, 24, date);
    panel_make(&h, date, h.adm.id, 3, later);
    list_match(&h, &m, panel);

    res = recommend(&h.chair, panel, &m, json_pack("{s:s}", "outcome", "postponed"));
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "outcome");
    expect_error_field(&res, "reasons");
    expect_error_field(&res, "minutes");
    http_response_free(&res);
    res = recommend(&h.chair, panel, &m,
                    json_pack("{s:s, s:s, s:s}", "outcome", "deferred", "reasons",
                              "The carers' references are due", "minutes",
                              "Deferred to a later panel"));
    EXPECT_STATUS(res, 200); /* no rule checks for a deferral */
    mfx_expect_at(&res, "status", "deferred");
    http_response_free(&res);
    mfx_expect_row("panel_items", m.item, "status", "deferred");
    mfx_expect_row("matches", m.match, "status", "proposed");
    ck_assert_int_eq(mfx_match_actions(m.match, NULL, NULL), 0);
    ck_assert_int_eq(mfx_match_events(m.match, "match.recommended"), 0);

    list_match(&h, &m, later); /* it can go to a later panel */
    res = http_get(h.finder.token, "/v1/matches/%s", m.match);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "status", "submitted");
    mfx_expect_at(&res, "panel_id", later);
    mfx_expect_at(&res, "panel_item_id", m.item);
    http_response_free(&res);
}
END_TEST

START_TEST(test_adm_decides_only_after_a_recommendation)
{
    mfx_scene h;
    mfx_match m;
    fx_person other_adm;
    char panel[FX_ID_MAX], date[16];
    char *due;
    http_response res;

    mfx_scene_create(&h, 1);
    fx_person_create(&other_adm, "adm", NULL);
    match_make(&h, &m, NULL, NULL);
    heard_panel(&h, &m, h.adm.id, panel, date);

    res = decide(&h.adm, &m, json_pack("{s:b}", "agreed", 1));
    mfx_expect_rule(&res, 409, "M7", NULL); /* nothing recommended yet */
    mfx_expect_only(recommend(&h.chair, panel, &m, rec_body("approve")), 200, NULL);
    mfx_expect_only(decide(&h.csw, &m, json_pack("{s:b}", "agreed", 1)), 403, "forbidden");
    mfx_expect_only(decide(&other_adm, &m, json_pack("{s:b}", "agreed", 1)), 403, "forbidden");
    res = decide(&h.adm, &m, json_pack("{s:b}", "agreed", 0)); /* differs: reasons needed */
    mfx_expect_rule(&res, 422, "M7", "reasons", NULL);
    mfx_expect_row("matches", m.match, "status", "recommended");

    res = decide(&h.adm, &m, json_pack("{s:b}", "agreed", 1));
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "status", "agreed");
    mfx_expect_at(&res, "decision.agreed", "true");
    mfx_expect_at(&res, "decision.decided_by", h.adm.id);
    mfx_expect_at(&res, "decision.circulated_at", NULL);
    ck_assert_msg(json_is_string(mfx_at(res.json, "decision.decided_at")), "no decided_at");
    http_response_free(&res);
    mfx_expect_row("matches", m.match, "status || ' ' || decision_agreed", "agreed true");
    mfx_expect_row("matches", m.match, "decided_by", h.adm.id);
    due = mfx_working_day_end(NULL, 7);
    mfx_expect_action(m.match, "M7a", h.adm.id, due, "done");
    free(due);
    /* M10: the celebration is planned within celebration_planning_weeks (4) weeks of the
     * decision, by the end of that day in London (today + 28 days); the finder owns it. */
    due = db_text("select iso_utc(((london_today() + 29)::timestamp - interval '1 second') "
                  "at time zone 'Europe/London')",
                  0);
    mfx_expect_action(m.match, "M10", h.finder.id, due, "open");
    free(due);
    ck_assert_int_eq(mfx_match_events(m.match, "match.decided"), 1);
    res = decide(&h.adm, &m, json_pack("{s:b}", "agreed", 1)); /* decided already */
    mfx_expect_rule(&res, 409, "M7", NULL);
}
END_TEST

START_TEST(test_m7_decision_circulated_by_the_panel_administrator)
{
    mfx_scene h;
    mfx_match m;
    char panel[FX_ID_MAX], date[16];
    char *due;
    http_response res;

    mfx_scene_create(&h, 1);
    match_make(&h, &m, NULL, NULL);
    heard_panel(&h, &m, NULL, panel, date); /* no decision maker: any adm, the admin queue */
    mfx_expect_only(recommend(&h.chair, panel, &m, rec_body("not_approve")), 200, NULL);
    due = mfx_working_day_end(date, 10);
    mfx_expect_action(m.match, "M7", h.padmin.id, due, "open");
    free(due);
    due = mfx_working_day_end(NULL, 7);
    mfx_expect_action(m.match, "M7a", NULL, due, "open");
    free(due);

    mfx_expect_only(circulated(&h.padmin, &m), 409, "conflict"); /* no decision yet */
    res = decide(&h.adm, &m, json_pack("{s:b}", "agreed", 0)); /* as recommended: no reasons */
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "status", "not_agreed");
    mfx_expect_at(&res, "decision.agreed", "false");
    http_response_free(&res);
    mfx_expect_row("matches", m.match, "status", "not_agreed");
    ck_assert_int_eq(mfx_match_actions(m.match, "M10", NULL), 0);
    res = http_get(h.padmin.token, "/v1/matches/%s/letters/carers", m.match);
    mfx_expect_rule(&res, 409, "M10", NULL);

    mfx_expect_only(circulated(&h.adm, &m), 403, "forbidden");
    mfx_expect_row("matches", m.match, "decision_circulated_at", NULL);
    /* the decision cannot have gone out before it was made */
    res = http_post(h.padmin.token, json_pack("{s:s}", "circulated_at", "2026-01-01T09:00:00Z"),
                    "/v1/matches/%s/decision/circulated", m.match);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "circulated_at");
    http_response_free(&res);
    mfx_expect_row("matches", m.match, "decision_circulated_at", NULL);
    res = circulated(&h.padmin, &m);
    EXPECT_STATUS(res, 200);
    ck_assert_msg(json_is_string(mfx_at(res.json, "decision.circulated_at")), "%s", res.body);
    mfx_expect_row("matches", m.match, "iso_utc(decision_circulated_at)",
                   json_string_value(mfx_at(res.json, "decision.circulated_at")));
    http_response_free(&res);
    ck_assert_int_eq(mfx_match_actions(m.match, "M7", "done"), 1);
    mfx_expect_only(circulated(&h.padmin, &m), 409, "conflict"); /* already recorded */
}
END_TEST

START_TEST(test_withdrawing_a_recommended_match_cancels_its_decision_actions)
{
    mfx_scene h;
    mfx_match m;
    char panel[FX_ID_MAX], date[16];
    http_response res;

    mfx_scene_create(&h, 1);
    match_make(&h, &m, NULL, NULL);
    heard_panel(&h, &m, h.adm.id, panel, date);
    mfx_expect_only(recommend(&h.chair, panel, &m, rec_body("approve")), 200, NULL);
    ck_assert_int_eq(mfx_match_actions(m.match, NULL, "open"), 2);

    res = http_post(h.finder.token, json_pack("{s:s}", "reason", "The carers moved abroad"),
                    "/v1/matches/%s/withdraw", m.match);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "status", "withdrawn");
    mfx_expect_at(&res, "panel_item_id", m.item);           /* the hearing stays on record */
    mfx_expect_at(&res, "recommendation.outcome", "approve");
    http_response_free(&res);
    mfx_expect_row("matches", m.match, "status", "withdrawn");
    ck_assert_int_eq(mfx_match_actions(m.match, NULL, "open"), 0);
    ck_assert_int_eq(mfx_match_actions(m.match, "M7a", "cancelled"), 1);
    ck_assert_int_eq(mfx_match_actions(m.match, "M7", "cancelled"), 1);
    /* and nobody decides on it any more */
    res = decide(&h.adm, &m, json_pack("{s:b}", "agreed", 1));
    mfx_expect_rule(&res, 409, "M7", NULL);
}
END_TEST

/* Whether the date "YYYY-MM-DD" appears in `html` as written or as "D Month YYYY". */
static int names_date(const char *html, const char *iso)
{
    static const char *const MONTHS[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    int y = 0, mo = 0, d = 0;
    char text[48];

    if (strstr(html, iso) != NULL)
        return 1;
    if (sscanf(iso, "%d-%d-%d", &y, &mo, &d) != 3 || mo < 1 || mo > 12)
        return 0;
    snprintf(text, sizeof text, "%d %s %d", d, MONTHS[mo - 1], y);
    return strstr(html, text) != NULL;
}

/* GETs a letter or the certificate (`what`) as `who` and checks the HTML document. */
static void expect_letter(const fx_person *who, const char *match, const char *what,
                          const char *panel_date, const char *decided_on)
{
    http_response res = http_get(who->token, "/v1/matches/%s/%s", match, what);
    const char *b = res.body;

    EXPECT_STATUS(res, 200);
    expect_header(&res, "Content-Type", "text/html; charset=utf-8");
    ck_assert_msg(strstr(b, "<html") && strstr(b, "</html>") && strstr(b, "@media print"),
                  "%s: not a complete HTML document with a print stylesheet", res.what);
    ck_assert_msg(strstr(b, "Amy&lt;b&gt;") && !strstr(b, "Amy<b>") && strstr(b, "Jones &amp; Co"),
                  "%s: the child's given and family name, escaped: %.3000s", res.what, b);
    /* M10: the carers' and the child's letters and the certificate name the carers; the birth
     * parents' letter never does (who the child lives with is not disclosed by letter) */
    if (strcmp(what, "letters/birth_parents") == 0)
        ck_assert_msg(!strstr(b, "Pat"), "%s: names the carers: %.3000s", res.what, b);
    else
        ck_assert_msg(strstr(b, "Pat&lt;i&gt;") && !strstr(b, "Pat<i>"),
                      "%s: the carers' names, escaped: %.3000s", res.what, b);
    ck_assert_msg(names_date(b, panel_date) && names_date(b, decided_on),
                  "%s: the panel date %s and the decision date %s: %.3000s", res.what, panel_date,
                  decided_on, b);
    if (strcmp(what, "letters/birth_parents") == 0)
        ck_assert_msg(strstr(b, "Mary &lt;Mum&gt;") && !strstr(b, "Uncle Bob"),
                      "%s: addressed to the mother, not the uncle: %.3000s", res.what, b);
    http_response_free(&res);
}

START_TEST(test_m10_letters_and_certificate_after_agreement)
{
    static const char *const PAPERS[] = {"letters/carers", "letters/birth_parents", "letters/child",
                                         "certificate", NULL};
    mfx_scene h;
    mfx_match m;
    char panel[FX_ID_MAX], date[16];
    char *today;
    http_response res;

    mfx_scene_create(&h, 1);
    match_make(
        &h, &m,
        json_pack("{s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}]}", "given_name", "Amy<b>", "family_name",
                  "Jones & Co", "birth_family", "name", "Mary <Mum>", "relationship", "mother",
                  "name", "Uncle Bob", "relationship", "uncle"),
        json_pack("{s:[{s:s, s:s}]}", "carers", "given_name", "Pat<i>", "family_name", "Lee"));
    heard_panel(&h, &m, h.adm.id, panel, date);
    mfx_expect_only(recommend(&h.chair, panel, &m, rec_body("approve")), 200, NULL);
    for (int i = 0; PAPERS[i] != NULL; i++) {
        res = http_get(h.padmin.token, "/v1/matches/%s/%s", m.match, PAPERS[i]);
        mfx_expect_rule(&res, 409, "M10", NULL); /* not agreed yet */
    }
    mfx_expect_only(
        decide(&h.adm, &m, json_pack("{s:b, s:s}", "agreed", 1, "reasons", "As recommended")), 200,
        NULL);
    today = db_text("select london_today()::text", 0);
    for (int i = 0; PAPERS[i] != NULL; i++)
        expect_letter(&h.padmin, m.match, PAPERS[i], date, today);
    expect_letter(&h.adm, m.match, "certificate", date, today);
    free(today);
    mfx_expect_only(http_get(h.csw.token, "/v1/matches/%s/certificate", m.match), 403, "forbidden");
    mfx_expect_only(http_get(h.padmin.token, "/v1/matches/%s/letters/grandparents", m.match), 404,
                    "not-found");
    /* every read is audited */
    ck_assert_int_eq(db_long("select count(*) from audit_log where sub = $1 and resource_id = $2 "
                             "and method = 'GET' and status = 200",
                             2, h.padmin.id, m.match),
                     4);
    ck_assert_int_eq(mfx_match_actions(m.match, "M10", "open"), 1);
}
END_TEST

START_TEST(test_papers_read_by_those_seated_without_contacts_for_the_ambassador)
{
    mfx_scene h;
    mfx_match m, elsewhere;
    fx_person ambassador, member;
    char panel[FX_ID_MAX], other[FX_ID_MAX], date[16];
    http_response res;
    json_t *entry;

    mfx_scene_create(&h, 1);
    fx_person_create(&ambassador, "voice_ambassador", NULL);
    fx_person_create(&member, "panel_member", NULL);
    match_make(&h, &m,
               json_pack("{s:[{s:s, s:s, s:s, s:s, s:s, s:s}]}", "birth_family", "name", "Mary Mum",
                         "relationship", "mother", "address", "1 High St", "phone", "01234 567890",
                         "email", "mary@example.org", "contact_arrangements",
                         "Monthly, supervised"),
               NULL);
    match_make(&h, &elsewhere, NULL, NULL);
    heard_panel(&h, &m, h.adm.id, panel, date);
    panel_make(&h, date, h.adm.id, 3, other);
    list_match(&h, &elsewhere, other);
    seat(&h, panel, &ambassador, "voice_ambassador");
    seat(&h, panel, &member, "optional");

    res = http_get(h.csw.token, "/v1/children/%s", m.child);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "birth_family.0.email", "mary@example.org"); /* stored as given */
    http_response_free(&res);

    const fx_person *full[] = {&member, &h.core[0], &h.chair, &h.padmin, &h.adm};
    for (size_t i = 0; i < sizeof full / sizeof full[0]; i++) {
        res = http_get(full[i]->token, "/v1/panels/%s/items/%s", panel, m.item);
        EXPECT_STATUS(res, 200);
        mfx_expect_at(&res, "id", m.item);
        mfx_expect_at(&res, "papers.child.id", m.child);
        mfx_expect_at(&res, "papers.carer.id", m.carer);
        mfx_expect_at(&res, "papers.family_finding.proposed.carer_id", m.carer); /* issue 10 */
        mfx_expect_at(&res, "papers.child.birth_family.0.address", "1 High St");
        mfx_expect_at(&res, "papers.child.birth_family.0.phone", "01234 567890");
        mfx_expect_at(&res, "papers.child.birth_family.0.email", "mary@example.org");
        http_response_free(&res);
    }
    res = http_get(ambassador.token, "/v1/panels/%s/items/%s", panel, m.item);
    EXPECT_STATUS(res, 200);
    entry = mfx_at(res.json, "papers.child.birth_family.0");
    ck_assert_msg(json_member_is(entry, "name", "Mary Mum") &&
                      json_member_is(entry, "relationship", "mother") &&
                      json_member_is(entry, "contact_arrangements", "Monthly, supervised"),
                  "the ambassador sees who the family are: %s", res.body);
    ck_assert_msg(!json_object_get(entry, "address") && !json_object_get(entry, "phone") &&
                      !json_object_get(entry, "email") && !strstr(res.body, "mary@example") &&
                      !strstr(res.body, "1 High St") && !strstr(res.body, "01234 567890"),
                  "the ambassador sees no birth-family contact details: %s", res.body);
    http_response_free(&res);
    res = http_get(ambassador.token, "/v1/panels/%s/items", panel);
    EXPECT_STATUS(res, 200);
    ck_assert_msg(items_contain(json_object_get(res.json, "items"), "id", m.item) &&
                      !mfx_at(res.json, "items.0.papers"),
                  "the list has the item, without papers: %s", res.body);
    http_response_free(&res);

    mfx_expect_only(http_get(ambassador.token, "/v1/panels/%s/items/%s", other, elsewhere.item),
                    404, "not-found");
    mfx_expect_only(http_get(ambassador.token, "/v1/panels/%s/items", other), 404, "not-found");
    mfx_expect_only(http_get(member.token, "/v1/panels/%s/items/%s", other, elsewhere.item), 404,
                    "not-found");
    mfx_expect_only(http_get(h.csw.token, "/v1/panels/%s/items/%s", panel, m.item), 403,
                    "forbidden");
    /* the reads and the refusals are audited (R1) */
    ck_assert_int_eq(db_long("select count(*) from audit_log where sub = $1 and method = 'GET' "
                             "and status = 200 and route like '%/items/%'",
                             1, ambassador.id),
                     1);
    ck_assert_int_eq(
        db_long("select count(*) from audit_log where sub = $1 and status = 404", 1, ambassador.id),
        2);
}
END_TEST

Suite *panel_hearing_suite(void)
{
    Suite *s = suite_create("panel_hearing");
    TCase *tc = tcase_create("panel_hearing");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_m5_papers_on_time_before_the_spring_bank_holiday);
    tcase_add_test(tc, test_m5_late_papers_heard_once_the_chair_accepts_them);
    tcase_add_test(tc, test_m8_quorum_comes_before_papers);
    tcase_add_test(tc, test_m9_formal_approval_at_the_last_panel_of_the_month);
    tcase_add_test(tc, test_m6_wishes_and_a_disabled_childs_needs);
    tcase_add_test(tc, test_m12_child_invited_or_the_reason_why_not);
    tcase_add_test(tc, test_deferred_match_goes_back_to_proposed);
    tcase_add_test(tc, test_adm_decides_only_after_a_recommendation);
    tcase_add_test(tc, test_m7_decision_circulated_by_the_panel_administrator);
    tcase_add_test(tc, test_withdrawing_a_recommended_match_cancels_its_decision_actions);
    tcase_add_test(tc, test_m10_letters_and_certificate_after_agreement);
    tcase_add_test(tc, test_papers_read_by_those_seated_without_contacts_for_the_ambassador);
    suite_add_tcase(s, tc);
    return s;
}
