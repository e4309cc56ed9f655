/*
 * match_fixtures.c - teams, matches and assertions for the submission and panel-hearing tests
 * (see match_fixtures.h).
 */
#include "match_fixtures.h"

#include "db.h"
#include "expect.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const COVERS[] = {"therapeutic",  "educational", "health", "short_breaks",
                                     "peer_support", "training",    NULL};

void mfx_scene_create(mfx_scene *s, int with_panel)
{
    memset(s, 0, sizeof *s);
    fx_unique(s->team, sizeof s->team, "team");
    fx_person_create(&s->tm, "team_manager", s->team);
    fx_person_create(&s->csw, "csw", s->team);
    fx_person_create(&s->finder, "family_finder", s->team);
    fx_person_create(&s->padmin, "panel_admin", NULL);
    if (!with_panel)
        return;
    fx_person_create(&s->chair, "chair", NULL);
    fx_person_create(&s->adm, "adm", NULL);
    for (int i = 0; i < 3; i++)
        fx_person_create(&s->core[i], "panel_member", NULL);
}

void mfx_create(const fx_person *who, json_t *body, const char *path, char *id)
{
    http_response res = http_post(who->token, body, "%s", path);

    EXPECT_STATUS(res, 201);
    snprintf(id, FX_ID_MAX, "%s", body_string(&res, "id"));
    http_response_free(&res);
}

void mfx_document(const fx_person *who, const char *file, const char *subject, const char *type,
                  const char *date, int covers, char *id)
{
    char path[FX_ID_MAX + 64];
    char ignored[FX_ID_MAX];
    json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "type", type, "title", type, "date", date,
                             "external_document_id", "ECL-1");

    if (covers >= 0) {
        json_t *list = json_array();

        for (int i = 0; COVERS[i] != NULL && i < covers; i++)
            json_array_append_new(list, json_string(COVERS[i]));
        json_object_set_new(body, "covers", list);
    }
    snprintf(path, sizeof path, "/v1/%s/%s/documents", file, subject);
    mfx_create(who, body, path, id != NULL ? id : ignored);
}

void mfx_match_make(const mfx_scene *s, mfx_match *m, const char *agency, int flags,
                    json_t *child_extra, json_t *carer_extra)
{
    char family[FX_ID_MAX];
    char path[FX_ID_MAX + 32];
    json_t *child;
    json_t *carer = fx_carer_body(agency, "approved", 2);

    memset(m, 0, sizeof *m);
    fx_unique(family, sizeof family, "Matched");
    child = fx_child_body(family);
    json_object_set_new(child, "date_of_birth", json_string(MFX_CHILD_BORN));
    if (flags & MFX_COMPLETE) {
        json_object_update_new(
            child, json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s}}", "wishes_and_feelings",
                             "Wants a dog", "profile", "history", "h", "strengths", "s", "routines",
                             "r", "health", "h", "education", "e", "identity", "i", "risks", "r"));
        json_object_update_new(carer,
                               json_pack("{s:s, s:[s], s:s, s:s}", "background", "Teacher",
                                         "skills", "therapeutic parenting", "home_environment",
                                         "Three bedrooms", "supports", "Grandparents nearby"));
    }
    if (child_extra != NULL)
        json_object_update_new(child, child_extra);
    if (carer_extra != NULL)
        json_object_update_new(carer, carer_extra);
    mfx_create(&s->csw, child, "/v1/children", m->child);
    mfx_create(&s->tm, carer, "/v1/carers", m->carer);
    fx_child_allocate(&s->tm, m->child, s->finder.id, "family_finder");
    mfx_document(&s->csw, "children", m->child, "all_about_me", "2025-01-01", -1, NULL);
    mfx_document(&s->csw, "children", m->child, "family_chronology", "2025-01-01", -1, NULL);
    if (flags & MFX_COMPLETE) {
        mfx_document(&s->csw, "children", m->child, "matching_report", "2025-02-01", -1, NULL);
        mfx_document(&s->csw, "children", m->child, "support_plan", "2025-02-01", 6, NULL);
        mfx_document(&s->tm, "carers", m->carer, "fostering_household_review", "2025-02-01", -1,
                     NULL);
    }
    mfx_create(&s->finder, json_pack("{s:s, s:s}", "child_id", m->child, "kind", "long_term"),
               "/v1/matches", m->match);
    if (flags & MFX_PROPOSE) {
        snprintf(path, sizeof path, "/v1/matches/%s/propose", m->match);
        mfx_expect_only(
            http_post(s->finder.token, json_pack("{s:s}", "carer_id", m->carer), "%s", path), 200,
            NULL);
    }
}

json_t *mfx_at(const json_t *root, const char *path)
{
    json_t *v = (json_t *)root;
    char key[128];

    while (v != NULL && *path != '\0') {
        const char *dot = strchr(path, '.');
        size_t n = dot != NULL ? (size_t)(dot - path) : strlen(path);

        snprintf(key, sizeof key, "%.*s", (int)n, path);
        v = json_is_array(v) ? json_array_get(v, strtoul(key, NULL, 10)) : json_object_get(v, key);
        path += n + (dot != NULL ? 1 : 0);
    }
    return v;
}

void mfx_expect_at(const http_response *res, const char *path, const char *want)
{
    json_t *v = mfx_at(res->json, path);
    int ok;

    if (want == NULL)
        ok = json_is_null(v);
    else if (strcmp(want, "true") == 0 || strcmp(want, "false") == 0)
        ok = json_is_boolean(v) && json_is_true(v) == (want[0] == 't');
    else
        ok = json_is_string(v) && strcmp(json_string_value(v), want) == 0;
    ck_assert_msg(ok, "%s: %s is not %s: %.900s", res->what, path, want ? want : "null", res->body);
}

void mfx_expect_rule(http_response *res, int status, const char *rule, ...)
{
    json_t *missing;
    const char *name;
    size_t expected = 0;
    va_list ap;

    expect_problem(res, status,
                   status == 422   ? "policy"
                   : status == 409 ? "conflict"
                                   : "forbidden");
    expect_json_string(res, "rule", rule);
    missing = json_object_get(res->json, "missing");
    va_start(ap, rule);
    while ((name = va_arg(ap, const char *)) != NULL) {
        size_t i;
        json_t *entry;
        int found = 0;

        expected++;
        json_array_foreach (missing, i, entry) {
            found |= json_is_string(entry) && strcmp(json_string_value(entry), name) == 0;
        }
        ck_assert_msg(found, "%s: missing does not name %s: %.800s", res->what, name, res->body);
    }
    va_end(ap);
    ck_assert_msg(expected == 0 || json_array_size(missing) == expected,
                  "%s: missing should name exactly %zu: %.800s", res->what, expected, res->body);
    http_response_free(res);
}

void mfx_expect_only(http_response res, int status, const char *slug)
{
    if (slug != NULL)
        expect_problem(&res, status, slug);
    else
        EXPECT_STATUS(res, status);
    http_response_free(&res);
}

void mfx_expect_row(const char *table, const char *id, const char *expr, const char *want)
{
    char sql[512];
    char *actual;

    snprintf(sql, sizeof sql, "select (%s)::text from %s where id::text = $1", expr, table);
    actual = db_text(sql, 1, id);
    ck_assert_msg((want == NULL && actual == NULL) ||
                      (want != NULL && actual != NULL && strcmp(actual, want) == 0),
                  "%s [%s] gave [%s], expected [%s]", sql, id, actual ? actual : "(null)",
                  want ? want : "(null)");
    free(actual);
}

long mfx_audit_rows(const char *sub, const char *route_tail, int status)
{
    char code[8];

    snprintf(code, sizeof code, "%d", status);
    return db_long("select count(*) from audit_log where sub = $1 and route like '%' || $2 "
                   "and status = $3::int",
                   3, sub, route_tail, code);
}

/* Checks the match's one action from `rule`: owner (NULL: the administrators' queue), due time
 * and status. */
void mfx_expect_action(const char *match, const char *rule, const char *owner, const char *due,
                       const char *status)
{
    char expected[512];
    char *actual;

    ck_assert_int_eq(db_long("select count(*) from actions where subject_type = 'match' and "
                             "subject_id::text = $1 and source_rule = $2",
                             2, match, rule),
                     1);
    /* the owner it was created with: the service's own sweep may since have escalated an
     * action already past due (the M7 action of a panel held in the past) */
    actual = db_text("select coalesce(h.to_owner, '') || '|' || iso_utc(a.due_at) || '|' || "
                     "a.status from actions a join action_history h on h.action_id = a.id and "
                     "h.event = 'created' where a.subject_type = 'match' and "
                     "a.subject_id::text = $1 and a.source_rule = $2",
                     2, match, rule);
    snprintf(expected, sizeof expected, "%s|%s|%s", owner != NULL ? owner : "", due, status);
    ck_assert_msg(strcmp(actual, expected) == 0, "%s action of %s is [%s], expected [%s]", rule,
                  match, actual, expected);
    free(actual);
}

long mfx_match_actions(const char *match, const char *rule, const char *status)
{
    return db_long("select count(*) from actions where subject_type = 'match' and "
                   "subject_id::text = $1 and ($2::text is null or source_rule = $2) and "
                   "($3::text is null or status = $3)",
                   3, match, rule, status);
}

long mfx_match_events(const char *match, const char *type)
{
    return db_long("select count(*) from events where type = $2 and (subject_id = $1 or "
                   "payload::text like '%' || $1 || '%')",
                   2, match, type);
}

char *mfx_working_day_end(const char *date, int n)
{
    char count[8];

    snprintf(count, sizeof count, "%d", n);
    return db_text("select iso_utc(((d + 1)::timestamp - interval '1 second') "
                   "at time zone 'Europe/London') from (select g::date as d from "
                   "generate_series(coalesce($1::date, london_today()) + 1, "
                   "coalesce($1::date, london_today()) + 90, interval '1 day') g) days "
                   "where extract(isodow from d) < 6 and d not in (select day from bank_holidays) "
                   "and d not in (select day from calendar_closures) order by d "
                   "offset $2::int - 1 limit 1",
                   2, date, count);
}

char *mfx_unique_month(void)
{
    return db_text("select to_char(m, 'YYYY-MM-') from (select date_trunc('month',"
                   " date '2200-01-01' + (random() * 300000)::int)::date as m"
                   " from generate_series(1, 50)) drawn where not exists (select 1"
                   " from panels p where p.panel_date >= m"
                   " and p.panel_date < m + interval '1 month') limit 1",
                   0);
}

void mfx_unique_day(char *month, int day, char *out)
{
    if (month[0] == '\0') {
        char *m = mfx_unique_month();

        snprintf(month, 16, "%s", m);
        free(m);
    }
    snprintf(out, 16, "%s%02d", month, day);
}
