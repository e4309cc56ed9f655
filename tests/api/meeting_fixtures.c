/*
 * meeting_fixtures.c - the London calendar, scenes, meetings, rule actions and settings of the
 * spec6 tests (see meeting_fixtures.h).
 */
#include "meeting_fixtures.h"

#include "db.h"
#include "expect.h"
#include "tokens.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the calendar ---- */

#define RING 16

/* The next of RING static buffers of 40 bytes. */
static char *ring_buffer(void)
{
    static char ring[RING][40];
    static int next;

    next = (next + 1) % RING;
    return ring[next];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static mtg_day days_from_civil(long y, long m, long d)
{
    long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void civil_from_days(mtg_day z, long *y, long *m, long *d)
{
    long era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

static long days_in_month(long y, long m)
{
    static const long LENGTH[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : LENGTH[m - 1];
}

int mtg_isodow(mtg_day d)
{
    /* 1970-01-01 was a Thursday (4) */
    return (int)(((d % 7) + 7 + 3) % 7) + 1;
}

/* The last Sunday of month `m` of year `y`. */
static mtg_day last_sunday(long y, long m)
{
    mtg_day last = days_from_civil(y, m, days_in_month(y, m));

    return last - mtg_isodow(last) % 7;
}

/* Whether London keeps summer time (BST) through the evening of local date `d`: from the last
 * Sunday of March up to the day before the last Sunday of October. */
static int summer_day(mtg_day d)
{
    long y, m, day;

    civil_from_days(d, &y, &m, &day);
    return d >= last_sunday(y, 3) && d < last_sunday(y, 10);
}

/* Whether London keeps summer time at UTC instant `t` (changes at 01:00 UTC). */
static int summer_instant(time_t t)
{
    long y, m, day;
    mtg_day d = (mtg_day)(t >= 0 ? t / 86400 : (t - 86399) / 86400);

    civil_from_days(d, &y, &m, &day);
    return t >= (time_t)last_sunday(y, 3) * 86400 + 3600 &&
           t < (time_t)last_sunday(y, 10) * 86400 + 3600;
}

mtg_day mtg_today(void)
{
    time_t now = time(NULL);

    return (mtg_day)((now + (summer_instant(now) ? 3600 : 0)) / 86400);
}

mtg_day mtg_parse(const char *iso)
{
    int y = 0, m = 0, d = 0;

    ck_assert_msg(iso != NULL && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 &&
                      m <= 12 && d >= 1 && d <= days_in_month(y, m),
                  "not a date: [%s]", iso ? iso : "(null)");
    return days_from_civil(y, m, d);
}

/* Writes the day as "YYYY-MM-DD" into `out` (40 bytes). */
static void format_day(mtg_day d, char *out)
{
    long y, m, day;

    civil_from_days(d, &y, &m, &day);
    snprintf(out, 40, "%04ld-%02ld-%02ld", y, m, day);
}

const char *mtg_date(mtg_day d)
{
    char *out = ring_buffer();

    format_day(d, out);
    return out;
}

/* England and Wales bank holidays (GOV.UK) of the years these tests reach. */
static const char *const BANK_HOLIDAYS[] = {
    "2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31",
    "2020-12-25", "2020-12-28", "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05",
    "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26", "2026-01-01", "2026-04-03",
    "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28",
    "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
    "2027-12-27", "2027-12-28", "2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01",
    "2028-05-29", "2028-08-28", "2028-12-25", "2028-12-26", NULL};

int mtg_is_working_day(mtg_day d)
{
    char iso[40];

    if (mtg_isodow(d) > 5)
        return 0;
    format_day(d, iso);
    for (int i = 0; BANK_HOLIDAYS[i] != NULL; i++) {
        if (strcmp(BANK_HOLIDAYS[i], iso) == 0)
            return 0;
    }
    return 1;
}

mtg_day mtg_working_day_after(mtg_day d, int n)
{
    while (n > 0) {
        d++;
        if (mtg_is_working_day(d))
            n--;
    }
    return d;
}

mtg_day mtg_add_months(mtg_day d, int n)
{
    long y, m, day, index;

    civil_from_days(d, &y, &m, &day);
    index = y * 12 + (m - 1) + n;
    y = index / 12;
    m = index % 12 + 1;
    if (day > days_in_month(y, m))
        day = days_in_month(y, m);
    return days_from_civil(y, m, day);
}

const char *mtg_instant(time_t t)
{
    char *out = ring_buffer();
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 40, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return out;
}

const char *mtg_end_of_day(mtg_day d)
{
    return mtg_instant((time_t)d * 86400 + 86399 - (summer_day(d) ? 3600 : 0));
}

const char *mtg_at(mtg_day d, const char *hhmm)
{
    int h = 0, m = 0;

    ck_assert_msg(sscanf(hhmm, "%2d:%2d", &h, &m) == 2, "not a time: %s", hhmm);
    return mtg_instant((time_t)d * 86400 + h * 3600 + m * 60 - (summer_day(d) ? 3600 : 0));
}

time_t mtg_parse_instant(const char *rfc3339)
{
    struct tm tm = {0};
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    char z = 0;

    ck_assert_msg(rfc3339 != NULL &&
                      sscanf(rfc3339, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s,
                             &z) == 7 &&
                      z == 'Z' && strlen(rfc3339) == 20,
                  "not an RFC 3339 UTC instant with whole seconds: [%s]",
                  rfc3339 ? rfc3339 : "(null)");
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    return timegm(&tm);
}

/* ---- people and records ---- */

/* Copies the answer's id into `id` (FX_ID_MAX bytes). */
static void take_id(const http_response *res, char *id)
{
    snprintf(id, FX_ID_MAX, "%s", body_string(res, "id"));
    ck_assert_msg(is_uuid(id), "%s: id [%s] is not a UUID", res->what, id);
}

void mtg_token_for(fx_person *p, const char *role)
{
    char agency[FX_ID_MAX];

    if (strcmp(role, "agency") != 0) {
        fx_token_only(p, role);
        return;
    }
    fx_unique(agency, sizeof agency, "ifa");
    fx_agency_create(p, agency);
}

void mtg_place(const fx_person *who, const char *child, const char *carer, const char *start,
               const char *type, char *id)
{
    http_response res = http_post(who->token,
                                  json_pack("{s:s, s:s, s:s, s:s}", "child_id", child, "carer_id",
                                            carer, "start_date", start, "placement_type", type),
                                  "/v1/placements");

    EXPECT_STATUS(res, 201);
    take_id(&res, id);
    http_response_free(&res);
}

void mtg_scene_create(mtg_scene *s, json_t *child_extra, const char *placement_start, int flags)
{
    char family[FX_ID_MAX];
    json_t *child;
    http_response res;

    memset(s, 0, sizeof *s);
    fx_unique(s->team, sizeof s->team, "team");
    fx_person_create(&s->tm, "team_manager", s->team);
    fx_person_create(&s->csw, "csw", s->team);
    fx_person_create(&s->ssw, "ssw", s->team);
    fx_person_create(&s->iro, "iro", NULL);
    fx_person_create(&s->finder, "family_finder", s->team);

    fx_unique(family, sizeof family, "Child");
    child = fx_child_body(family);
    if (child_extra != NULL)
        json_object_update_new(child, child_extra);
    res = http_post(s->csw.token, child, "/v1/children");
    EXPECT_STATUS(res, 201);
    take_id(&res, s->child);
    http_response_free(&res);
    if (!(flags & MTG_NO_IRO))
        fx_child_allocate(&s->tm, s->child, s->iro.id, "iro");
    fx_child_allocate(&s->tm, s->child, s->finder.id, "family_finder");

    fx_carer_create(&s->tm, NULL, "approved", 2, s->carer);
    fx_carer_allocate(&s->tm, s->carer, s->ssw.id);
    if (placement_start != NULL)
        mtg_place(&s->tm, s->child, s->carer, placement_start, "U4", s->placement);
}

http_response mtg_end(const fx_person *who, const char *placement, const char *end_date,
                      const char *reason, int unplanned)
{
    json_t *body = json_pack("{s:s, s:s}", "end_date", end_date, "reason", reason);

    if (unplanned >= 0)
        json_object_set_new(body, "unplanned", json_boolean(unplanned));
    return http_post(who->token, body, "/v1/placements/%s/end", placement);
}

/* ---- meetings ---- */

http_response mtg_meeting_post(const fx_person *who, const char *type, const char *child,
                               const char *carer, const char *placement, const char *scheduled_at,
                               const char *chair)
{
    json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "type", type, "child_id", child,
                             "scheduled_at", scheduled_at, "chair_id", chair);

    if (carer != NULL)
        json_object_set_new(body, "carer_id", json_string(carer));
    if (placement != NULL)
        json_object_set_new(body, "placement_id", json_string(placement));
    return http_post(who->token, body, "/v1/meetings");
}

void mtg_meeting_create(const fx_person *who, const char *type, const char *child,
                        const char *carer, const char *placement, const char *scheduled_at,
                        const char *chair, char *id)
{
    http_response res = mtg_meeting_post(who, type, child, carer, placement, scheduled_at, chair);

    EXPECT_STATUS(res, 201);
    take_id(&res, id);
    http_response_free(&res);
}

json_t *mtg_attendee(json_t *list, const char *person_id, const char *name, const char *role,
                     int attended)
{
    json_array_append_new(list, json_pack("{s:s?, s:s?, s:s, s:b}", "person_id", person_id,
                                          "name", name, "role", role, "attended", attended));
    return list;
}

json_t *mtg_ppm_invited(json_t *list)
{
    mtg_attendee(list, NULL, "Alex Carer", "foster_carer", 1);
    mtg_attendee(list, NULL, "Sam Worker", "csw", 1);
    mtg_attendee(list, NULL, "Sky Worker", "ssw", 1);
    mtg_attendee(list, NULL, "Robin Officer", "iro", 0);
    mtg_attendee(list, NULL, "Tess Manager", "team_manager", 1);
    return list;
}

json_t *mtg_stability_attendees(const mtg_scene *s)
{
    json_t *list = json_array();

    mtg_attendee(list, NULL, "Alex Carer", "foster_carer", 1);
    mtg_attendee(list, s->ssw.id, NULL, "ssw", 1);
    mtg_attendee(list, s->csw.id, NULL, "csw", 1);
    return list;
}

http_response mtg_hold(const fx_person *who, const char *meeting, json_t *body)
{
    return http_post(who->token, body, "/v1/meetings/%s/held", meeting);
}

json_t *mtg_held_body(const char *held_on, json_t *attendees, const char *child_views,
                      const char *carer_views, const char *learning, const char *outcome)
{
    return json_pack("{s:s?, s:o, s:s?, s:s?, s:s?, s:s?}", "held_on", held_on, "attendees",
                     attendees, "child_views", child_views, "carer_views", carer_views,
                     "learning", learning, "outcome", outcome);
}

void mtg_stability_held(const mtg_scene *s, const char *held_on, const char *outcome, char *id)
{
    http_response res;

    mtg_meeting_create(&s->csw, "stability", s->child, NULL, NULL,
                       mtg_at(mtg_parse(held_on), "10:00"), s->tm.id, id);
    res = mtg_hold(&s->tm, id,
                   mtg_held_body(held_on, mtg_stability_attendees(s), "Wants to stay", NULL, NULL,
                                 outcome));
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
}

/* ---- actions ---- */

/* The one action by `side` ("source" or "subject"); see mtg_find_action. */
static void find_action(const char *side, const char *type, const char *id, const char *rule,
                        const char *title, const char *owner, char *out)
{
    char sql[768];
    char *found;
    long n;

    snprintf(sql, sizeof sql,
             "from actions a join action_history h on h.action_id = a.id and h.event = 'created' "
             "where a.%s_type = $1 and a.%s_id::text = $2 and a.source_rule is not distinct from "
             "$3::text and ($4::text is null or a.title = $4) and h.to_owner is not distinct "
             "from $5::text",
             side, side);
    {
        char count_sql[800];

        snprintf(count_sql, sizeof count_sql, "select count(*) %s", sql);
        n = db_long(count_sql, 5, type, id, rule, title, owner);
    }
    ck_assert_msg(n == 1,
                  "%ld actions (not 1) with %s %s %s, rule %s, title [%s], created for %s", n,
                  side, type, id, rule ? rule : "(null)", title ? title : "(any)",
                  owner ? owner : "the queue");
    {
        char id_sql[800];

        snprintf(id_sql, sizeof id_sql, "select a.id::text %s", sql);
        found = db_text(id_sql, 5, type, id, rule, title, owner);
    }
    snprintf(out, FX_ID_MAX, "%s", found);
    free(found);
}

void mtg_find_action(const char *source_type, const char *source_id, const char *rule,
                     const char *title, const char *owner, char *id)
{
    find_action("source", source_type, source_id, rule, title, owner, id);
}

void mtg_find_subject_action(const char *subject_type, const char *subject_id, const char *rule,
                             const char *title, const char *owner, char *id)
{
    find_action("subject", subject_type, subject_id, rule, title, owner, id);
}

void mtg_expect_action(const char *id, const char *subject_type, const char *subject_id,
                       const char *source_type, const char *source_id, const char *due,
                       const char *status, const char *duty)
{
    char want[1024];
    char *row;
    int skip_source = source_type != NULL && strcmp(source_type, "*") == 0;

    row = db_text("select subject_type || ':' || subject_id::text || '|' || "
                  "case when $2::boolean then '*' else coalesce(source_type, '') || ':' || "
                  "coalesce(source_id::text, '') end || '|' || iso_utc(due_at) || '|' || status "
                  "|| '|' || coalesce(duty, '') from actions where id::text = $1",
                  2, id, skip_source ? "true" : "false");
    if (skip_source)
        snprintf(want, sizeof want, "%s:%s|*|%s|%s|%s", subject_type, subject_id, due, status,
                 duty ? duty : "");
    else
        snprintf(want, sizeof want, "%s:%s|%s:%s|%s|%s|%s", subject_type, subject_id,
                 source_type ? source_type : "", source_id ? source_id : "", due, status,
                 duty ? duty : "");
    ck_assert_msg(row != NULL && strcmp(row, want) == 0, "action %s is [%s], expected [%s]", id,
                  row ? row : "(no row)", want);
    free(row);
}

long mtg_count_actions(const char *column, const char *id, const char *rule, const char *status,
                       const char *duty)
{
    char sql[384];

    ck_assert_msg(strcmp(column, "source_id") == 0 || strcmp(column, "subject_id") == 0,
                  "bad column %s", column);
    snprintf(sql, sizeof sql,
             "select count(*) from actions where %s::text = $1 and ($2::text is null or "
             "source_rule = $2) and ($3::text is null or status = $3) and ($4::text is null or "
             "duty = $4)",
             column);
    return db_long(sql, 4, id, rule, status, duty);
}

void mtg_complete_action(const char *id)
{
    char *owner = db_text("select coalesce(owner_id, '') from actions where id::text = $1", 1, id);
    char *role = NULL;
    char *token = NULL;
    http_response res;

    ck_assert_msg(owner != NULL, "no action %s", id);
    if (owner[0] != '\0') {
        token_spec spec;

        role = db_text("select roles[1] from people where id = $1", 1, owner);
        spec = token_spec_for(owner, role);
        token = token_mint(&spec);
    }
    res = http_post(token != NULL ? token : fx_admin_token(), json_object(),
                    "/v1/actions/%s/complete", id);
    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "status", "done");
    http_response_free(&res);
    free(token);
    free(role);
    free(owner);
}

void mtg_expect_action_status(const char *id, const char *status)
{
    mfx_expect_row("actions", id, "status", status);
}

/* ---- settings ---- */

long mtg_setting(const char *name)
{
    http_response res = http_get(fx_admin_token(), "/v1/settings");
    json_t *items;
    json_t *item;
    size_t i;
    long value = -1;

    EXPECT_STATUS(res, 200);
    items = json_object_get(res.json, "items");
    json_array_foreach(items, i, item) {
        if (json_member_is(item, "name", name) &&
            json_is_integer(json_object_get(item, "value")))
            value = (long)json_integer_value(json_object_get(item, "value"));
    }
    ck_assert_msg(value >= 0, "no setting %s: %.800s", name, res.body);
    http_response_free(&res);
    return value;
}

void mtg_setting_set(const char *name, long value)
{
    http_response got = http_get(fx_admin_token(), "/v1/settings");
    http_response res;
    json_t *body = json_object();

    EXPECT_STATUS(got, 200);
    ck_assert_msg(http_header(&got, "ETag") != NULL, "GET /v1/settings without ETag");
    json_object_set_new(body, name, value < 0 ? json_null() : json_integer(value));
    res = http_patch(fx_admin_token(), http_header(&got, "ETag"), body, "/v1/settings");
    EXPECT_STATUS(res, 200);
    http_response_free(&res);
    http_response_free(&got);
}

/* ---- answers ---- */

void mtg_expect_int_at(const http_response *res, const char *path, long want)
{
    json_t *v = mfx_at(res->json, path);

    ck_assert_msg(json_is_integer(v) && json_integer_value(v) == want, "%s: %s is not %ld: %.900s",
                  res->what, path, want, res->body);
}

int mtg_items_have(const json_t *items, const char *key, const char *value, const char *key2,
                   const char *value2)
{
    size_t i;
    json_t *item;

    json_array_foreach((json_t *)items, i, item) {
        if (json_member_is(item, key, value) &&
            (key2 == NULL || json_member_is(item, key2, value2)))
            return 1;
    }
    return 0;
}

void mtg_expect_near(const char *what, const char *a, time_t b, long tolerance)
{
    time_t ta = mtg_parse_instant(a);
    long diff = (long)(ta - b);

    ck_assert_msg(diff <= tolerance && diff >= -tolerance, "%s is %s, expected %s (within %lds)",
                  what, a, mtg_instant(b), tolerance);
}
