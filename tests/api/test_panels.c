/*
 * test_panels.c - panels (P5): the panel administrator schedules and seats them; M8's quorum
 * from attendance (a deputy chair and 3 core members are quorate; a chair, 2 core members and
 * an optional member are not); M9's last panel of the month; members, the chair and the voice
 * ambassador read only the panels they sit on.
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

/* Creates a panel on `date` as `admin` and writes its id into `id`. */
static void panel_create(const fx_person *admin, const char *date, char *id)
{
    http_response res = http_post(admin->token,
                                  json_pack("{s:s, s:s, s:i}", "date", date, "kind", "matching",
                                            "part", 2),
                                  "/v1/panels");

    EXPECT_STATUS(res, 201);
    strncpy(id, body_string(&res, "id"), FX_ID_MAX - 1);
    id[FX_ID_MAX - 1] = '\0';
    http_response_free(&res);
}

/* Seats `person` in `seat` and records whether they attended. */
static void seat(const fx_person *admin, const char *panel, const fx_person *person,
                 const char *seat_name, int attended)
{
    http_response res = http_post(admin->token,
                                  json_pack("{s:s, s:s}", "person_id", person->id, "seat",
                                            seat_name),
                                  "/v1/panels/%s/members", panel);

    EXPECT_STATUS(res, 201);
    http_response_free(&res);
    res = http_post(admin->token, json_pack("{s:s, s:b}", "person_id", person->id, "attended",
                                            attended),
                    "/v1/panels/%s/attendance", panel);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
}

static int quorate(const fx_person *reader, const char *panel)
{
    http_response res = http_get(reader->token, "/v1/panels/%s", panel);
    int q;

    EXPECT_STATUS(res, 200);
    q = json_is_true(json_object_get(json_object_get(res.json, "quorum"), "quorate"));
    http_response_free(&res);
    return q;
}

START_TEST(test_m8_quorum_from_attendance)
{
    fx_person admin, chair, deputy, optional, core[3];
    char panel_a[FX_ID_MAX], panel_b[FX_ID_MAX], date_a[16], date_b[16];
    char *month = mfx_unique_month();

    fx_person_create(&admin, "panel_admin", NULL);
    fx_person_create(&chair, "chair", NULL);
    fx_person_create(&deputy, "chair", NULL);
    fx_person_create(&optional, "panel_member", NULL);
    for (int i = 0; i < 3; i++) {
        fx_person_create(&core[i], "panel_member", NULL);
    }
    snprintf(date_a, sizeof date_a, "%s10", month);
    snprintf(date_b, sizeof date_b, "%s17", month);
    free(month);

    panel_create(&admin, date_a, panel_a); /* a deputy chair and 3 core members */
    seat(&admin, panel_a, &chair, "chair", 0);
    seat(&admin, panel_a, &deputy, "deputy_chair", 1);
    for (int i = 0; i < 3; i++) {
        seat(&admin, panel_a, &core[i], "core", 1);
    }
    ck_assert_msg(quorate(&admin, panel_a), "a deputy chair and 3 core members are quorate");

    panel_create(&admin, date_b, panel_b); /* a chair, 2 core members and an optional member */
    seat(&admin, panel_b, &chair, "chair", 1);
    seat(&admin, panel_b, &core[0], "core", 1);
    seat(&admin, panel_b, &core[1], "core", 1);
    seat(&admin, panel_b, &core[2], "core", 0);
    seat(&admin, panel_b, &optional, "optional", 1);
    ck_assert_msg(!quorate(&chair, panel_b), "optional members do not make a quorum");

    /* M9: the later panel is the last of its month */
    http_response res = http_get(admin.token, "/v1/panels/%s", panel_a);
    ck_assert_msg(json_is_false(json_object_get(res.json, "last_of_month")), "a is not last");
    http_response_free(&res);
    res = http_get(admin.token, "/v1/panels/%s", panel_b);
    ck_assert_msg(json_is_true(json_object_get(res.json, "last_of_month")), "b is last");
    ck_assert_int_eq(json_array_size(json_object_get(json_object_get(res.json, "quorum"),
                                                     "reasons")), 1);
    http_response_free(&res);
}
END_TEST

START_TEST(test_members_read_only_their_panels)
{
    fx_person admin, ambassador, member, csw;
    char sat[FX_ID_MAX], other[FX_ID_MAX], day[16];
    char *month = mfx_unique_month();
    http_response res;

    fx_person_create(&admin, "panel_admin", NULL);
    fx_person_create(&ambassador, "voice_ambassador", NULL);
    fx_person_create(&member, "panel_member", NULL);
    fx_person_create(&csw, "csw", NULL);
    snprintf(day, sizeof day, "%s05", month);
    free(month);
    panel_create(&admin, day, sat);
    panel_create(&admin, day, other);
    seat(&admin, sat, &ambassador, "voice_ambassador", 1);
    seat(&admin, sat, &member, "core", 1);

    res = http_get(ambassador.token, "/v1/panels/%s", sat);
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    res = http_get(ambassador.token, "/v1/panels/%s", other);
    expect_problem(&res, 404, "not-found");
    http_response_free(&res);
    ck_assert_int_eq(db_long("select count(*) from audit_log where resource_id = $1 and "
                             "status = 404 and sub = $2", 2, other, ambassador.id), 1);
    res = http_get(csw.token, "/v1/panels/%s", sat);
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
    res = http_post(member.token, json_pack("{s:s, s:s}", "date", "2300-01-01", "kind",
                                            "matching"), "/v1/panels");
    expect_problem(&res, 403, "forbidden");
    http_response_free(&res);
    res = http_get(member.token, "/v1/panels");
    EXPECT_STATUS(res, 200);
    ck_assert_int_eq(json_array_size(json_object_get(res.json, "items")), 1);
    http_response_free(&res);
}
END_TEST

Suite *panels_suite(void)
{
    Suite *s = suite_create("panels");
    TCase *tc = tcase_create("panels");

    tcase_add_test(tc, test_m8_quorum_from_attendance);
    tcase_add_test(tc, test_members_read_only_their_panels);
    suite_add_tcase(s, tc);
    return s;
}
