/*
 * test_duties.c - the recurring duties (spec6): child-in-care reviews (P7: the schedule, and the
 * IRO's action that follows each held review), children without a permanence plan by their
 * second review (P1), social worker visits from a placement's start (P8), carers' supervision
 * visits from an SSW's allocation (V1), carers' requests for support (V2), and after an agreed
 * match the life-story reviews (L1), the annual joint visit and its letter (L2), which renew
 * when completed and stop with the placement.
 *
 * Each test builds its own team. Dates are worked out here from the clock in London terms
 * (meeting_fixtures.h), never read back from the service; each expected value says how.
 */
#include "action_fixtures.h"
#include "db.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "match_fixtures.h"
#include "meeting_fixtures.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- P7, P1 ---- */

/*
 * Entered care on Friday 28 August 2026; Monday 31 August is the summer bank holiday. Working
 * days after the 28th: 1-4 September (1st-4th), 7-11 (5th-9th), 14-18 (10th-14th), 21-25
 * (15th-19th) and Monday 28 September, the 20th (cic_review_first_working_days): the first
 * review is due on 28 September 2026. The second is 3 months (cic_review_second_months) after
 * the first's due date while it is not held: 28 December 2026; once the first is held on 2
 * October 2026, 3 months after that: 2 January 2027. The IRO's P7 action is due at the end of
 * the review's day in London (28 September: BST, 22:59:59Z; 2 January: GMT, 23:59:59Z).
 */
START_TEST(test_P7_review_schedule_entering_care_on_a_friday_before_a_bank_holiday)
{
    mtg_scene s;
    char first[16], second[16], after_held[16], p7[FX_ID_MAX], next[FX_ID_MAX], review[FX_ID_MAX];
    char first_due[32], next_due[32];
    http_response res;

    /* the test's own calendar gives the dates above */
    ck_assert_int_eq(mtg_isodow(mtg_parse("2026-08-28")), 5);
    ck_assert_int_eq(mtg_is_working_day(mtg_parse("2026-08-31")), 0);
    snprintf(first, sizeof first, "%s",
             mtg_date(mtg_working_day_after(mtg_parse("2026-08-28"), 20)));
    ck_assert_str_eq(first, "2026-09-28");
    snprintf(second, sizeof second, "%s", mtg_date(mtg_add_months(mtg_parse(first), 3)));
    ck_assert_str_eq(second, "2026-12-28");
    snprintf(after_held, sizeof after_held, "%s",
             mtg_date(mtg_add_months(mtg_parse("2026-10-02"), 3)));
    ck_assert_str_eq(after_held, "2027-01-02");
    snprintf(first_due, sizeof first_due, "%s", mtg_end_of_day(mtg_parse(first)));
    ck_assert_str_eq(first_due, "2026-09-28T22:59:59Z");
    snprintf(next_due, sizeof next_due, "%s", mtg_end_of_day(mtg_parse(after_held)));
    ck_assert_str_eq(next_due, "2027-01-02T23:59:59Z");

    mtg_scene_create(&s, json_pack("{s:s}", "entered_care_on", "2026-08-28"), NULL, MTG_NO_IRO);
    res = http_get(s.csw.token, "/v1/children/%s/review-schedule", s.child);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "child_id", s.child);
    mfx_expect_at(&res, "entered_care_on", "2026-08-28");
    ck_assert_int_eq(json_array_size(mfx_at(res.json, "reviews")), 1);
    mtg_expect_int_at(&res, "reviews.0.number", 1);
    mfx_expect_at(&res, "reviews.0.due_on", "2026-09-28");
    mfx_expect_at(&res, "reviews.0.held_on", NULL);
    mfx_expect_at(&res, "next_due_on", "2026-09-28");
    mfx_expect_at(&res, "second_review_due_on", "2026-12-28");
    mfx_expect_at(&res, "has_permanence_plan", "false");
    http_response_free(&res);

    /* allocating the IRO starts the duty: the first review's action */
    fx_child_allocate(&s.tm, s.child, s.iro.id, "iro");
    mtg_find_subject_action("child", s.child, "P7", NULL, s.iro.id, p7);
    mtg_expect_action(p7, "child", s.child, "*", NULL, first_due, "open", "cic_review");
    res = afx_get_action(p7);
    mfx_expect_at(&res, "duty", "cic_review");
    http_response_free(&res);

    /* the first review, held on Friday 2 October 2026 */
    mtg_meeting_create(&s.iro, "cic_review", s.child, NULL, NULL, "2026-10-02T09:00:00Z", s.iro.id,
                       review);
    mfx_expect_only(mtg_hold(&s.iro, review,
                             mtg_held_body("2026-10-02",
                                           mtg_attendee(json_array(), s.iro.id, NULL, "iro", 1),
                                           "Likes her school", NULL, NULL, "Plan confirmed")),
                    200, NULL);
    mtg_expect_action_status(p7, "done");
    ck_assert_int_eq(mtg_count_actions("subject_id", s.child, "P7", "open", "cic_review"), 1);
    {
        char *id = db_text("select id::text from actions where subject_id::text = $1 and "
                           "source_rule = 'P7' and status = 'open'",
                           1, s.child);

        ck_assert_ptr_nonnull(id);
        snprintf(next, sizeof next, "%s", id);
        free(id);
    }
    mtg_expect_action(next, "child", s.child, "*", NULL, next_due, "open", "cic_review");
    mfx_expect_row("actions", next, "owner_id", s.iro.id);

    res = http_get(s.iro.token, "/v1/children/%s/review-schedule", s.child);
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(mfx_at(res.json, "reviews")), 2);
    mtg_expect_int_at(&res, "reviews.0.number", 1);
    mfx_expect_at(&res, "reviews.0.due_on", "2026-09-28");
    mfx_expect_at(&res, "reviews.0.held_on", "2026-10-02");
    mtg_expect_int_at(&res, "reviews.1.number", 2);
    mfx_expect_at(&res, "reviews.1.due_on", "2027-01-02");
    mfx_expect_at(&res, "reviews.1.held_on", NULL);
    mfx_expect_at(&res, "next_due_on", "2027-01-02");
    mfx_expect_at(&res, "second_review_due_on", "2027-01-02");
    http_response_free(&res);

    mfx_document(&s.csw, "children", s.child, "permanence_plan", "2026-10-05", -1, NULL);
    res = http_get(s.csw.token, "/v1/children/%s/review-schedule", s.child);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "has_permanence_plan", "true");
    http_response_free(&res);
}
END_TEST

START_TEST(test_P7_review_schedule_needs_entered_care_on_and_read_access)
{
    mtg_scene s;
    fx_person stranger;
    char family[FX_ID_MAX], child[FX_ID_MAX];
    json_t *body;
    http_response res;

    mtg_scene_create(&s, NULL, NULL, 0);
    fx_person_create(&stranger, "csw", NULL);
    fx_unique(family, sizeof family, "Child");
    body = fx_child_body(family);
    json_object_del(body, "entered_care_on");
    mfx_create(&s.csw, body, "/v1/children", child);
    res = http_get(s.csw.token, "/v1/children/%s/review-schedule", child);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "entered_care_on");
    http_response_free(&res);
    /* an IRO allocated to a child not in care yet has no review to hold */
    fx_child_allocate(&s.tm, child, s.iro.id, "iro");
    ck_assert_int_eq(mtg_count_actions("subject_id", child, "P7", NULL, NULL), 0);

    mfx_expect_only(http_get(stranger.token, "/v1/children/%s/review-schedule", s.child), 404,
                    "not-found");
    mfx_expect_only(http_get(s.iro.token, "/v1/children/%s/review-schedule", s.child), 200, NULL);
    mfx_expect_only(http_get(s.ssw.token, "/v1/children/%s/review-schedule", s.child), 404,
                    "not-found"); /* not placed with the SSW's carer */
}
END_TEST

/* A child of `csw` entered care on `entered` (NULL: never). */
static void child_entered(const fx_person *csw, const char *entered, char *id)
{
    char family[FX_ID_MAX];
    json_t *body;

    fx_unique(family, sizeof family, "Planless");
    body = fx_child_body(family);
    if (entered != NULL)
        json_object_set_new(body, "entered_care_on", json_string(entered));
    else
        json_object_del(body, "entered_care_on");
    mfx_create(csw, body, "/v1/children", id);
}

/* Checks P1's item `i` of `res`: the child, its second review date and whether it is past. */
static void expect_p1_item(const http_response *res, size_t i, const char *child,
                           const char *entered, const char *second, int overdue)
{
    char path[32];

    snprintf(path, sizeof path, "items.%zu.child_id", i);
    mfx_expect_at(res, path, child);
    snprintf(path, sizeof path, "items.%zu.entered_care_on", i);
    mfx_expect_at(res, path, entered);
    snprintf(path, sizeof path, "items.%zu.second_review_due_on", i);
    mfx_expect_at(res, path, second);
    snprintf(path, sizeof path, "items.%zu.overdue", i);
    mfx_expect_at(res, path, overdue ? "true" : "false");
    snprintf(path, sizeof path, "items.%zu.name", i);
    ck_assert_msg(json_is_string(mfx_at(res->json, path)) &&
                      strstr(json_string_value(mfx_at(res->json, path)), "Planless") != NULL,
                  "%s: the child's name: %.1500s", res->what, res->body);
}

/*
 * P1: children in care without a permanence_plan document, by second review date. Entered
 * 15 January 2020: 20 working days on is 12 February 2020 (16-17, 20-24, 27-31 January, 3-7,
 * 10-12 February), the second review 3 months later on 12 May 2020: overdue. Entered 28 August
 * 2026: second review due 28 December 2026 (see the P7 test), overdue only once that date is
 * past. A child with a permanence plan, and one not in care, are not listed.
 */
START_TEST(test_P1_children_without_a_permanence_plan_by_the_second_review)
{
    static const char *const REFUSED[] = {"panel_member", "chair", "adm", "panel_admin", "admin",
                                          "voice_ambassador", "ssw", NULL};
    mtg_scene s;
    char recent[FX_ID_MAX], old[FX_ID_MAX], planned[FX_ID_MAX], never[FX_ID_MAX], second[16];
    mtg_day today = mtg_today();
    int recent_overdue;
    http_response res;

    snprintf(second, sizeof second, "%s",
             mtg_date(mtg_add_months(mtg_working_day_after(mtg_parse("2020-01-15"), 20), 3)));
    ck_assert_str_eq(second, "2020-05-12");
    recent_overdue = mtg_parse("2026-12-28") < today;

    mtg_scene_create(&s, NULL, NULL, 0); /* its own child has a plan (below) */
    mfx_document(&s.csw, "children", s.child, "permanence_plan", "2024-01-01", -1, NULL);
    child_entered(&s.csw, "2026-08-28", recent);
    child_entered(&s.csw, "2020-01-15", old);
    child_entered(&s.csw, "2020-01-15", planned);
    child_entered(&s.csw, NULL, never);
    mfx_document(&s.csw, "children", planned, "permanence_plan", "2021-01-01", -1, NULL);
    mfx_document(&s.csw, "children", never, "ppm_minutes", "2021-01-01", -1, NULL);

    res = http_get(s.csw.token, "/v1/reports/permanence-plans-due?limit=200");
    EXPECT_STATUS(res, 200);
    ck_assert_msg(json_array_size(body_items(&res)) == 2, "only the two without a plan: %.2000s",
                  res.body);
    expect_p1_item(&res, 0, old, "2020-01-15", "2020-05-12", 1);
    expect_p1_item(&res, 1, recent, "2026-08-28", "2026-12-28", recent_overdue);
    ck_assert_msg(json_is_null(json_object_get(res.json, "next")), "%s", res.body);
    http_response_free(&res);

    /* the IRO sees the children they review */
    fx_child_allocate(&s.tm, recent, s.iro.id, "iro");
    res = http_get(s.iro.token, "/v1/reports/permanence-plans-due");
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(body_items(&res)), 1);
    expect_p1_item(&res, 0, recent, "2026-08-28", "2026-12-28", recent_overdue);
    http_response_free(&res);
    /* the team manager sees the team's */
    res = http_get(s.tm.token, "/v1/reports/permanence-plans-due?limit=200");
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(body_items(&res)), 2);
    http_response_free(&res);
    res = http_get(s.finder.token, "/v1/reports/permanence-plans-due?limit=200");
    EXPECT_STATUS(res, 200);
    http_response_free(&res);

    for (int i = 0; REFUSED[i] != NULL; i++) {
        fx_person p;

        fx_token_only(&p, REFUSED[i]);
        res = http_get(p.token, "/v1/reports/permanence-plans-due");
        ck_assert_msg(res.status == 403, "role %s: expected 403, got %ld: %.300s", REFUSED[i],
                      res.status, res.body);
        expect_problem(&res, 403, "forbidden");
        http_response_free(&res);
    }
    ck_assert_int_eq(db_long("select count(*) from documents where subject_id::text = $1 and "
                             "type = 'permanence_plan'",
                             1, planned),
                     1);
}
END_TEST

/* ---- P8 ---- */

/* The one open action of `duty` whose source is `source_id`; its id into `id`. */
static void open_duty(const char *source_id, const char *duty, char *id)
{
    char *found;

    ck_assert_int_eq(mtg_count_actions("source_id", source_id, NULL, "open", duty), 1);
    found = db_text("select id::text from actions where source_id::text = $1 and status = 'open' "
                    "and duty = $2",
                    2, source_id, duty);
    snprintf(id, FX_ID_MAX, "%s", found);
    free(found);
}

/*
 * P8: the placement started 10 days ago; the first visit is due at the end of start + 1 week
 * (sw_visit_first_weeks), for the child's CSW. Completed today, the next is due at the end of
 * today + 6 weeks (sw_visit_first_year_weeks = 42 days), today being within a year of the start.
 */
START_TEST(test_P8_visit_on_placement_start_and_every_6_weeks_in_the_first_year)
{
    mtg_scene s;
    mtg_day today = mtg_today();
    char start[16], first[FX_ID_MAX], next[FX_ID_MAX], title[256];
    char *t;

    ck_assert_int_eq(mtg_setting("sw_visit_first_weeks"), 1);
    ck_assert_int_eq(mtg_setting("sw_visit_first_year_weeks"), 6);
    snprintf(start, sizeof start, "%s", mtg_date(today - 10));
    mtg_scene_create(&s, NULL, start, 0);
    mtg_find_action("placement", s.placement, "P8", "Visit the child in their placement", s.csw.id,
                    first);
    mtg_expect_action(first, "child", s.child, "placement", s.placement,
                      mtg_end_of_day(today - 10 + 7), "open", "sw_visit");

    mtg_complete_action(first);
    open_duty(s.placement, "sw_visit", next);
    ck_assert_str_ne(next, first);
    mtg_expect_action(next, "child", s.child, "placement", s.placement, mtg_end_of_day(today + 42),
                      "open", "sw_visit");
    snprintf(title, sizeof title, "%s|P8", s.csw.id);
    mfx_expect_row("actions", next, "owner_id || '|' || source_rule", title);
    t = db_text("select title from actions where id::text = $1", 1, next);
    ck_assert_str_eq(t, "Visit the child in their placement");
    free(t);
    ck_assert_int_eq(mtg_count_actions("source_id", s.placement, "P8", NULL, "sw_visit"), 2);
}
END_TEST

/*
 * P8 after the first year (placements started 400 days ago): a long-term placement (U4) is
 * visited at most every 3 months (sw_visit_long_term_months): completed today, due the end of
 * today + 3 calendar months; another (U6) every 6 weeks. A visit completed after the placement
 * ended makes no next one.
 */
START_TEST(test_P8_after_the_first_year_3_months_if_long_term_else_6_weeks)
{
    mtg_scene s;
    mtg_day today = mtg_today();
    char start[16], other_child[FX_ID_MAX], short_term[FX_ID_MAX], visit[FX_ID_MAX];
    char next[FX_ID_MAX], other_visit[FX_ID_MAX], other_next[FX_ID_MAX];
    http_response res;

    ck_assert_int_eq(mtg_setting("sw_visit_long_term_months"), 3);
    snprintf(start, sizeof start, "%s", mtg_date(today - 400));
    mtg_scene_create(&s, NULL, start, 0); /* U4: long-term */
    fx_child_create(&s.csw, other_child);
    mtg_place(&s.tm, other_child, s.carer, start, "U6", short_term);

    open_duty(s.placement, "sw_visit", visit);
    mtg_complete_action(visit);
    open_duty(s.placement, "sw_visit", next);
    mtg_expect_action(next, "child", s.child, "placement", s.placement,
                      mtg_end_of_day(mtg_add_months(today, 3)), "open", "sw_visit");

    open_duty(short_term, "sw_visit", other_visit);
    mtg_complete_action(other_visit);
    open_duty(short_term, "sw_visit", other_next);
    mtg_expect_action(other_next, "child", other_child, "placement", short_term,
                      mtg_end_of_day(today + 42), "open", "sw_visit");

    /* any ending, planned too, ends the placement's visits (P8: "not after the placement
     * ended"): the open visit is cancelled and no next one comes */
    res = mtg_end(&s.tm, short_term, mtg_date(today), "CARPL", -1);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    mtg_expect_action_status(other_next, "cancelled");
    ck_assert_int_eq(mtg_count_actions("source_id", short_term, NULL, "open", "sw_visit"), 0);
    ck_assert_int_eq(mtg_count_actions("source_id", short_term, NULL, NULL, "sw_visit"), 2);
}
END_TEST

/* ---- V1 ---- */

/* An approved carer of `tm`'s team approved on `approved_on`. */
static void carer_approved_on(const fx_person *tm, const char *approved_on, char *id)
{
    json_t *body = fx_carer_body(NULL, "approved", 2);

    json_object_set_new(json_object_get(body, "approval"), "approved_on",
                        json_string(approved_on));
    mfx_create(tm, body, "/v1/carers", id);
}

/* V1's interval in weeks for a visit counted from `from`, for a carer approved on `approved`:
 * the first month after approval, the second, the rest of the first year, then experienced. */
static int supervision_weeks(mtg_day approved, mtg_day from)
{
    if (from < mtg_add_months(approved, 1))
        return 1;
    if (from < mtg_add_months(approved, 2))
        return 2;
    if (from < mtg_add_months(approved, 12))
        return 4;
    return 8;
}

/*
 * V1: an SSW allocated today to a carer approved 10 days ago (first month: weekly), 45 days ago
 * (second month: fortnightly), 200 days ago (rest of the first year: every 4 weeks) or in 2020
 * (experienced: every 8 weeks); due at the end of today + that many weeks. One is open at a
 * time; completing it makes the next, from the completion date. A carer not approved gets none.
 */
START_TEST(test_V1_supervision_visit_when_an_ssw_is_allocated)
{
    static const int AGO[] = {10, 45, 200, -1};
    static const int WEEKS[] = {1, 2, 4, 8};
    char team[FX_ID_MAX], carers[4][FX_ID_MAX], visit[FX_ID_MAX], next[FX_ID_MAX];
    char assessing[FX_ID_MAX];
    fx_person tm, ssw, ssw2;
    mtg_day today = mtg_today();

    fx_unique(team, sizeof team, "team");
    fx_person_create(&tm, "team_manager", team);
    fx_person_create(&ssw, "ssw", team);
    fx_person_create(&ssw2, "ssw", team);
    for (int i = 0; i < 4; i++) {
        mtg_day approved = AGO[i] < 0 ? mtg_parse(FX_APPROVED_ON) : today - AGO[i];
        int weeks = supervision_weeks(approved, today);

        ck_assert_int_eq(weeks, WEEKS[i]);
        carer_approved_on(&tm, mtg_date(approved), carers[i]);
        ck_assert_int_eq(mtg_count_actions("subject_id", carers[i], "V1", NULL, NULL), 0);
        fx_carer_allocate(&tm, carers[i], ssw.id);
        mtg_find_action("carer", carers[i], "V1", "Supervision visit", ssw.id, visit);
        mtg_expect_action(visit, "carer", carers[i], "carer", carers[i],
                          mtg_end_of_day(today + 7 * weeks), "open", "supervision_visit");
    }
    /* a second SSW: still one open visit */
    fx_carer_allocate(&tm, carers[0], ssw2.id);
    ck_assert_int_eq(mtg_count_actions("subject_id", carers[0], "V1", "open", "supervision_visit"),
                     1);
    /* completed today, the next from today: still the first month, so a week */
    open_duty(carers[0], "supervision_visit", visit);
    mtg_complete_action(visit);
    open_duty(carers[0], "supervision_visit", next);
    mtg_expect_action(next, "carer", carers[0], "carer", carers[0], mtg_end_of_day(today + 7),
                      "open", "supervision_visit");
    /* the next visit goes to the SSW allocated now, the second one */
    mfx_expect_row("actions", next, "owner_id", ssw2.id);

    fx_carer_create(&tm, NULL, "assessment", 1, assessing);
    fx_carer_allocate(&tm, assessing, ssw.id);
    ck_assert_int_eq(mtg_count_actions("subject_id", assessing, "V1", NULL, NULL), 0);
}
END_TEST

/* ---- V2 ---- */

static http_response support(const fx_person *who, const char *carer, int serious,
                             const char *detail)
{
    return http_post(who->token, json_pack("{s:b, s:s}", "serious", serious, "detail", detail),
                     "/v1/carers/%s/support-requests", carer);
}

/* Checks a 201 support request answer and its action: owner, due time; returns nothing. */
static void expect_support(const http_response *res, const char *carer, const fx_person *by,
                           int serious, const char *owner, const char *due)
{
    const char *id = body_string(res, "id");
    const char *action = body_string(res, "action_id");
    char want[512];

    EXPECT_STATUS(*res, 201);
    mfx_expect_at(res, "carer_id", carer);
    mfx_expect_at(res, "serious", serious ? "true" : "false");
    mfx_expect_at(res, "requested_by", by->id);
    mfx_expect_at(res, "respond_by", due);
    mtg_expect_action(action, "carer", carer, "support_request", id, due, "open", NULL);
    snprintf(want, sizeof want, "V2|%s|Respond to the carer's request for support", owner);
    mfx_expect_row("actions", action, "source_rule || '|' || owner_id || '|' || title", want);
    snprintf(want, sizeof want, "%s|%s", serious ? "true" : "false", by->id);
    mfx_expect_row("support_requests", id, "serious || '|' || requested_by", want);
}

/* V2, serious: the same day, so due at 23:59:59 London today. */
START_TEST(test_V2_serious_support_request_due_by_the_end_of_today)
{
    mtg_scene s;
    char due[32];
    http_response res;

    mtg_scene_create(&s, NULL, NULL, 0);
    snprintf(due, sizeof due, "%s", mtg_end_of_day(mtg_today()));
    res = support(&s.ssw, s.carer, 1, "Child ran away overnight");
    expect_support(&res, s.carer, &s.ssw, 1, s.ssw.id, due);
    mfx_expect_at(&res, "detail", "Child ran away overnight");
    http_response_free(&res);
}
END_TEST

/*
 * V2, not serious: the request time + support_response_hours (24) hours; the request time is
 * the answer's requested_at, itself within a few seconds of the test's clock. Asked by the team
 * manager, the action still goes to the carer's SSW; a carer without an SSW: to the caller.
 */
START_TEST(test_V2_support_request_answered_within_24_hours)
{
    mtg_scene s;
    fx_person other_tm, loose_ssw;
    char lonely[FX_ID_MAX], due[32];
    long hours = mtg_setting("support_response_hours");
    time_t requested;
    http_response res;

    ck_assert_int_eq(hours, 24);
    mtg_scene_create(&s, NULL, NULL, 0);
    fx_person_create(&other_tm, "team_manager", NULL);
    fx_person_create(&loose_ssw, "ssw", s.team);

    res = support(&s.tm, s.carer, 0, "Would like training on contact");
    EXPECT_STATUS(res, 201);
    requested = mtg_parse_instant(body_string(&res, "requested_at"));
    mtg_expect_near("requested_at", body_string(&res, "requested_at"), time(NULL), 30);
    snprintf(due, sizeof due, "%s", mtg_instant(requested + hours * 3600));
    expect_support(&res, s.carer, &s.tm, 0, s.ssw.id, due);
    http_response_free(&res);

    fx_carer_create(&s.tm, NULL, "approved", 1, lonely);
    res = support(&s.tm, lonely, 0, "Needs a bed");
    EXPECT_STATUS(res, 201);
    requested = mtg_parse_instant(body_string(&res, "requested_at"));
    snprintf(due, sizeof due, "%s", mtg_instant(requested + hours * 3600));
    expect_support(&res, lonely, &s.tm, 0, s.tm.id, due);
    http_response_free(&res);

    /* who may not */
    mfx_expect_only(support(&s.csw, s.carer, 1, "x"), 403, "forbidden");
    mfx_expect_only(support(&other_tm, s.carer, 1, "x"), 404, "not-found");
    mfx_expect_only(support(&loose_ssw, s.carer, 1, "x"), 404, "not-found");
    res = http_post(s.ssw.token, json_object(), "/v1/carers/%s/support-requests", s.carer);
    expect_problem(&res, 422, "validation");
    expect_error_field(&res, "serious");
    expect_error_field(&res, "detail");
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from support_requests where carer_id::text = $1",
                             1, s.carer),
                     1);
}
END_TEST

/* ---- L1, L2 ---- */

/* Seats `p` on `panel` in `seat` and records them present. */
static void seat_present(const mfx_scene *h, const char *panel, const fx_person *p,
                         const char *seat)
{
    mfx_expect_only(http_post(h->padmin.token,
                              json_pack("{s:s, s:s}", "person_id", p->id, "seat", seat),
                              "/v1/panels/%s/members", panel),
                    201, NULL);
    mfx_expect_only(http_post(h->padmin.token,
                              json_pack("{s:s, s:b}", "person_id", p->id, "attended", 1),
                              "/v1/panels/%s/attendance", panel),
                    200, NULL);
}

/*
 * A complete long-term match of the scene (with_panel) taken to an agreed decision: an SSW
 * (`ssw`, NULL: none) allocated to its carer first, a quorate matching panel alone in its month
 * (so the last of the month, M9), the papers circulated now, the recommendation to approve and
 * the ADM's agreement.
 */
static void agreed_match(const mfx_scene *h, mfx_match *m, const fx_person *ssw)
{
    char panel[FX_ID_MAX], date[16], month[16] = "", path[FX_ID_MAX + 32];
    http_response res;

    mfx_match_make(h, m, NULL, MFX_COMPLETE | MFX_PROPOSE, NULL, NULL);
    if (ssw != NULL)
        fx_carer_allocate(&h->tm, m->carer, ssw->id);
    mfx_unique_day(month, 12, date);
    mfx_create(&h->padmin,
               json_pack("{s:s, s:s, s:i, s:s}", "date", date, "kind", "matching", "part", 2,
                         "decision_maker_id", h->adm.id),
               "/v1/panels", panel);
    seat_present(h, panel, &h->chair, "chair");
    for (int i = 0; i < 3; i++)
        seat_present(h, panel, &h->core[i], "core");
    snprintf(path, sizeof path, "/v1/matches/%s/submit", m->match);
    mfx_create(&h->finder, json_pack("{s:s}", "panel_id", panel), path, m->item);
    mfx_expect_only(http_post(h->padmin.token, json_object(), "/v1/panels/%s/papers/circulate",
                              panel),
                    200, NULL);
    mfx_expect_only(http_post(h->chair.token,
                              json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "outcome", "approve",
                                        "reasons", "A secure attachment", "minutes", "Item 1",
                                        "wishes_and_feelings", "Wants to stay", "wishes_via",
                                        "child", "child_invited", 1),
                              "/v1/panels/%s/items/%s/recommendation", panel, m->item),
                    200, NULL);
    ck_assert_int_eq(mfx_match_actions(m->match, "L1", NULL), 0); /* not before the decision */
    res = http_post(h->adm.token, json_pack("{s:b}", "agreed", 1), "/v1/matches/%s/decision",
                    m->match);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "status", "agreed");
    http_response_free(&res);
}

/* The actions of the match from `rule` with `duty`, in `status` (NULL: any), owned now by
 * `owner` (NULL: any owner), due at `due` (NULL: any). */
static long match_duties(const char *match, const char *rule, const char *duty,
                         const char *status, const char *owner, const char *due)
{
    return db_long("select count(*) from actions where source_type = 'match' and "
                   "source_id::text = $1 and subject_type = 'child' and source_rule = $2 and "
                   "duty = $3 and ($4::text is null or status = $4) and ($5::text is null or "
                   "owner_id = $5) and ($6::text is null or iso_utc(due_at) = $6)",
                   6, match, rule, duty, status, owner, due);
}

/*
 * L1, L2 when the ADM agrees: "Review the life-story work" for the child's CSW and for the
 * carer's SSW, due at the end of today + life_story_review_months (read from the settings, not
 * assumed) months; "Annual joint visit to celebrate the child's progress" for the CSW at the end
 * of today + annual_joint_visit_months months. A carer without an SSW: the queue takes theirs.
 */
START_TEST(test_L1_L2_actions_when_the_adm_agrees_a_match)
{
    mfx_scene h;
    mfx_match m, lonely;
    fx_person ssw;
    mtg_day today = mtg_today();
    long months = mtg_setting("life_story_review_months");
    long annual = mtg_setting("annual_joint_visit_months");
    char l1_due[32], l2_due[32], id[FX_ID_MAX];

    mfx_scene_create(&h, 1);
    fx_person_create(&ssw, "ssw", h.team);
    agreed_match(&h, &m, &ssw);
    snprintf(l1_due, sizeof l1_due, "%s", mtg_end_of_day(mtg_add_months(today, (int)months)));
    snprintf(l2_due, sizeof l2_due, "%s", mtg_end_of_day(mtg_add_months(today, (int)annual)));

    mtg_find_action("match", m.match, "L1", "Review the life-story work", h.csw.id, id);
    mtg_expect_action(id, "child", m.child, "match", m.match, l1_due, "open", "life_story_review");
    mtg_find_action("match", m.match, "L1", "Review the life-story work", ssw.id, id);
    mtg_expect_action(id, "child", m.child, "match", m.match, l1_due, "open", "life_story_review");
    mtg_find_action("match", m.match, "L2", "Annual joint visit to celebrate the child's progress",
                    h.csw.id, id);
    mtg_expect_action(id, "child", m.child, "match", m.match, l2_due, "open",
                      "annual_joint_visit");

    /* the feed: one event a step, under its own name, none quoting the decision's reasons */
    ck_assert_int_eq(db_long("SELECT count(*) FROM events WHERE subject_id = $1"
                             " AND type = 'match.decided' AND payload = '{\"agreed\": true}'",
                             1, m.match),
                     1);
    ck_assert_int_eq(db_long("SELECT count(*) FROM events WHERE subject_id = $1"
                             " AND type = 'match.submitted'", 1, m.match),
                     1);
    ck_assert_int_eq(db_long("SELECT count(*) FROM events WHERE subject_id = $1"
                             " AND type IN ('match.recorded', 'match.changed')", 1, m.match),
                     0);
    mfx_expect_only(http_post(h.padmin.token, json_object(),
                              "/v1/matches/%s/decision/circulated", m.match),
                    200, NULL);
    ck_assert_int_eq(db_long("SELECT count(*) FROM events WHERE subject_id = $1"
                             " AND type = 'match.decision_circulated'", 1, m.match),
                     1);
    ck_assert_int_eq(mtg_count_actions("source_id", m.match, "L1", NULL, NULL), 2);
    ck_assert_int_eq(mtg_count_actions("source_id", m.match, "L2", NULL, NULL), 1);

    agreed_match(&h, &lonely, NULL);
    mtg_find_action("match", lonely.match, "L1", "Review the life-story work", NULL, id);
    mtg_find_action("match", lonely.match, "L1", "Review the life-story work", h.csw.id, id);
}
END_TEST

/*
 * L1 renewing: the CSW completes their review today; the next is theirs, due at the end of today
 * + life_story_review_months months (read with GET /v1/settings). Then a life_story_review
 * meeting is held today: it completes both open reviews (the CSW's new one and the SSW's), and
 * each renews the same way. So 5 L1 actions: 3 done, 2 open, one each.
 */
START_TEST(test_L1_actions_renew_after_completion)
{
    mfx_scene h;
    mfx_match m;
    fx_person ssw;
    mtg_day today = mtg_today();
    long months = mtg_setting("life_story_review_months");
    char due[32], first[FX_ID_MAX], ssw_first[FX_ID_MAX], meeting[FX_ID_MAX], today_s[16];

    mfx_scene_create(&h, 1);
    fx_person_create(&ssw, "ssw", h.team);
    agreed_match(&h, &m, &ssw);
    snprintf(due, sizeof due, "%s", mtg_end_of_day(mtg_add_months(today, (int)months)));
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    mtg_find_action("match", m.match, "L1", NULL, h.csw.id, first);
    mtg_find_action("match", m.match, "L1", NULL, ssw.id, ssw_first);

    mtg_complete_action(first);
    ck_assert_int_eq(match_duties(m.match, "L1", "life_story_review", "open", h.csw.id, due), 1);
    ck_assert_int_eq(match_duties(m.match, "L1", "life_story_review", "open", ssw.id, due), 1);
    ck_assert_int_eq(match_duties(m.match, "L1", "life_story_review", NULL, NULL, NULL), 3);
    mtg_expect_action_status(ssw_first, "open");

    mtg_meeting_create(&h.csw, "life_story_review", m.child, m.carer, NULL,
                       mtg_at(today, "09:00"), h.csw.id, meeting);
    mfx_expect_only(mtg_hold(&h.csw, meeting,
                             mtg_held_body(today_s,
                                           mtg_attendee(json_array(), ssw.id, NULL, "ssw", 1),
                                           "Loves the memory box", NULL, NULL, "Book updated")),
                    200, NULL);
    mtg_expect_action_status(ssw_first, "done");
    ck_assert_int_eq(match_duties(m.match, "L1", "life_story_review", "done", NULL, NULL), 3);
    ck_assert_int_eq(match_duties(m.match, "L1", "life_story_review", "open", h.csw.id, due), 1);
    ck_assert_int_eq(match_duties(m.match, "L1", "life_story_review", "open", ssw.id, due), 1);
    ck_assert_int_eq(match_duties(m.match, "L1", "life_story_review", NULL, NULL, NULL), 5);
}
END_TEST

/*
 * L2: the annual joint visit completed today makes the next (end of today +
 * annual_joint_visit_months months) and the joint letter of the year's achievements (end of
 * today + joint_letter_weeks weeks), which does not renew. Holding an annual_joint_visit meeting
 * completes the visit the same way.
 */
START_TEST(test_L2_joint_letter_after_the_annual_visit)
{
    mfx_scene h;
    mfx_match m;
    fx_person ssw;
    mtg_day today = mtg_today();
    long annual = mtg_setting("annual_joint_visit_months");
    long letter_weeks = mtg_setting("joint_letter_weeks");
    char visit_due[32], letter_due[32], visit[FX_ID_MAX], meeting[FX_ID_MAX], today_s[16];
    char *letter;

    ck_assert_int_eq(letter_weeks, 2); /* the default */
    mfx_scene_create(&h, 1);
    fx_person_create(&ssw, "ssw", h.team);
    agreed_match(&h, &m, &ssw);
    snprintf(visit_due, sizeof visit_due, "%s",
             mtg_end_of_day(mtg_add_months(today, (int)annual)));
    snprintf(letter_due, sizeof letter_due, "%s", mtg_end_of_day(today + 7 * letter_weeks));
    snprintf(today_s, sizeof today_s, "%s", mtg_date(today));
    ck_assert_int_eq(match_duties(m.match, "L2", "joint_letter", NULL, NULL, NULL), 0);

    mtg_find_action("match", m.match, "L2", NULL, h.csw.id, visit);
    mtg_complete_action(visit);
    ck_assert_int_eq(match_duties(m.match, "L2", "annual_joint_visit", "open", h.csw.id, visit_due),
                     1);
    ck_assert_int_eq(match_duties(m.match, "L2", "joint_letter", "open", NULL, letter_due), 1);
    letter = db_text("select id::text from actions where source_id::text = $1 and duty = "
                     "'joint_letter' and title = 'Send the joint letter of the year''s "
                     "achievements'",
                     1, m.match);
    ck_assert_ptr_nonnull(letter);
    mtg_expect_action(letter, "child", m.child, "match", m.match, letter_due, "open",
                      "joint_letter");
    mtg_complete_action(letter);
    free(letter);
    /* the letter does not renew */
    ck_assert_int_eq(match_duties(m.match, "L2", "joint_letter", NULL, NULL, NULL), 1);
    ck_assert_int_eq(match_duties(m.match, "L2", "joint_letter", "done", NULL, NULL), 1);

    /* the meeting completes the (new) annual visit: another visit and another letter */
    mtg_meeting_create(&h.csw, "annual_joint_visit", m.child, m.carer, NULL,
                       mtg_at(today, "09:00"), h.csw.id, meeting);
    mfx_expect_only(mtg_hold(&h.csw, meeting,
                             mtg_held_body(today_s,
                                           mtg_attendee(json_array(), ssw.id, NULL, "ssw", 1),
                                           "Proud of swimming", NULL, NULL, "A great year")),
                    200, NULL);
    ck_assert_int_eq(match_duties(m.match, "L2", "annual_joint_visit", "done", NULL, NULL), 2);
    ck_assert_int_eq(match_duties(m.match, "L2", "annual_joint_visit", "open", h.csw.id, visit_due),
                     1);
    ck_assert_int_eq(match_duties(m.match, "L2", "joint_letter", "open", NULL, letter_due), 1);
}
END_TEST

/*
 * The life-long duties stop with the placement: an unplanned ending cancels the open L1 and L2
 * duties of the match outright (and the placement's visits, P8); after a planned ending (and no
 * other placement of the child with that carer open) the open review stays, and completed makes
 * no next one.
 */
START_TEST(test_L1_L2_stop_when_the_placement_ends)
{
    mfx_scene h;
    mfx_match planned, broke;
    fx_person ssw;
    mtg_day today = mtg_today();
    char p1[FX_ID_MAX], p2[FX_ID_MAX], start[16], review[FX_ID_MAX];
    http_response res;

    mfx_scene_create(&h, 1);
    fx_person_create(&ssw, "ssw", h.team);
    agreed_match(&h, &planned, &ssw);
    agreed_match(&h, &broke, &ssw);
    snprintf(start, sizeof start, "%s", mtg_date(today - 30));
    mtg_place(&h.tm, planned.child, planned.carer, start, "U4", p1);
    mtg_place(&h.tm, broke.child, broke.carer, start, "U4", p2);

    res = mtg_end(&h.tm, p2, mtg_date(today), "CREQO", -1);
    EXPECT_STATUS(res, 200);
    mfx_expect_at(&res, "unplanned", "true");
    http_response_free(&res);
    ck_assert_int_eq(match_duties(broke.match, "L1", "life_story_review", "open", NULL, NULL), 0);
    ck_assert_int_eq(match_duties(broke.match, "L1", "life_story_review", "cancelled", NULL, NULL),
                     2);
    ck_assert_int_eq(match_duties(broke.match, "L2", "annual_joint_visit", "cancelled", NULL, NULL),
                     1);
    ck_assert_int_eq(mtg_count_actions("source_id", p2, "P8", "open", "sw_visit"), 0);

    /* a planned ending (here the care plan) cancels nothing of the life-long duties: the review
     * still open is the last one, since no placement with the carer goes on; completed, no next
     * one comes */
    res = mtg_end(&h.tm, p1, mtg_date(today), "CARPL", -1);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    mtg_find_action("match", planned.match, "L1", NULL, h.csw.id, review);
    mtg_expect_action_status(review, "open");
    mtg_complete_action(review);
    ck_assert_int_eq(match_duties(planned.match, "L1", "life_story_review", NULL, h.csw.id, NULL),
                     1);
    ck_assert_int_eq(match_duties(planned.match, "L1", "life_story_review", "open", h.csw.id, NULL),
                     0);
}
END_TEST

Suite *duties_suite(void)
{
    Suite *s = suite_create("duties");
    TCase *tc = tcase_create("duties");

    tcase_set_timeout(tc, TEST_TIMEOUT_SECONDS);
    tcase_add_test(tc, test_P7_review_schedule_entering_care_on_a_friday_before_a_bank_holiday);
    tcase_add_test(tc, test_P7_review_schedule_needs_entered_care_on_and_read_access);
    tcase_add_test(tc, test_P1_children_without_a_permanence_plan_by_the_second_review);
    tcase_add_test(tc, test_P8_visit_on_placement_start_and_every_6_weeks_in_the_first_year);
    tcase_add_test(tc, test_P8_after_the_first_year_3_months_if_long_term_else_6_weeks);
    tcase_add_test(tc, test_V1_supervision_visit_when_an_ssw_is_allocated);
    tcase_add_test(tc, test_V2_serious_support_request_due_by_the_end_of_today);
    tcase_add_test(tc, test_V2_support_request_answered_within_24_hours);
    tcase_add_test(tc, test_L1_L2_actions_when_the_adm_agrees_a_match);
    tcase_add_test(tc, test_L1_actions_renew_after_completion);
    tcase_add_test(tc, test_L2_joint_letter_after_the_annual_visit);
    tcase_add_test(tc, test_L1_L2_stop_when_the_placement_ends);
    suite_add_tcase(s, tc);
    return s;
}
