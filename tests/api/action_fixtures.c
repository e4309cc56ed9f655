/*
 * action_fixtures.c - people with managers, actions and sweeps for the API tests (see
 * action_fixtures.h).
 */
#include "action_fixtures.h"

#include "db.h"
#include "expect.h"
#include "tokens.h"

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void afx_person(fx_person *p, const char *role, const char *team, const char *manager_id)
{
    json_t *body;
    http_response res;
    token_spec spec;

    memset(p, 0, sizeof *p);
    fx_unique(p->id, sizeof p->id, role);
    if (team != NULL)
        snprintf(p->team, sizeof p->team, "%s", team);
    body = json_pack("{s:s, s:s, s:s, s:[s]}", "id", p->id, "name", "Test Person", "email",
                     "test.person@example.org", "roles", role);
    if (team != NULL)
        json_object_set_new(body, "team", json_string(team));
    if (manager_id != NULL)
        json_object_set_new(body, "manager_id", json_string(manager_id));
    res = http_post(fx_admin_token(), body, "/v1/people");
    EXPECT_STATUS(res, 201);
    if (manager_id != NULL)
        expect_json_string(&res, "manager_id", manager_id);
    http_response_free(&res);
    spec = token_spec_for(p->id, role);
    token_mint_into(&spec, p->token, sizeof p->token);
}

void afx_scene_create(afx_scene *s, int with_manager)
{
    memset(s, 0, sizeof *s);
    fx_unique(s->team, sizeof s->team, "team");
    fx_person_create(&s->tm, "team_manager", s->team);
    if (with_manager)
        afx_person(&s->mgr, "team_manager", NULL, NULL);
    afx_person(&s->csw, "csw", s->team, with_manager ? s->mgr.id : NULL);
    fx_child_create(&s->csw, s->child);
}

json_t *afx_action_body(const char *title, const char *subject_type, const char *subject_id,
                        const char *owner_id, const char *due_at)
{
    return json_pack("{s:s, s:{s:s, s:s}, s:s, s:s}", "title", title, "subject", "type",
                     subject_type, "id", subject_id, "owner_id", owner_id, "due_at", due_at);
}

void afx_action_create(const char *token, json_t *body, char *id)
{
    http_response res = http_post(token, body, "/v1/actions");
    const char *value;

    EXPECT_STATUS(res, 201);
    value = body_string(&res, "id");
    ck_assert_msg(is_uuid(value), "action id [%s] is not a UUID", value);
    snprintf(id, FX_ID_MAX, "%s", value);
    http_response_free(&res);
}

void afx_time_from_now(char *out, size_t size, long seconds)
{
    time_t t = time(NULL) + seconds;
    struct tm tm;

    gmtime_r(&t, &tm);
    ck_assert_msg(strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0, "time buffer too small");
}

http_response afx_sweep(const char *as_of)
{
    http_response res = http_post(fx_admin_token(), json_pack("{s:s}", "as_of", as_of),
                                  "/v1/actions/sweep");

    EXPECT_STATUS(res, 200);
    expect_json_string(&res, "as_of", as_of);
    ck_assert_msg(json_is_integer(json_object_get(res.json, "flagged")) &&
                      json_is_integer(json_object_get(res.json, "escalated")),
                  "sweep answer without counts: %s", res.body);
    return res;
}

void afx_sweep_only(const char *as_of)
{
    http_response res = afx_sweep(as_of);

    http_response_free(&res);
}

http_response afx_get_action(const char *id)
{
    /* read as the action's current owner (an administrator sees only the administrators'
     * queue) */
    char *owner = db_text("select coalesce(owner_id, '') from actions where id::text = $1", 1, id);
    http_response res;

    if (owner != NULL && owner[0] != '\0') {
        token_spec spec = token_spec_for(owner, "csw");
        char *token = token_mint(&spec);
        res = http_get(token, "/v1/actions/%s", id);
        free(token);
    } else {
        res = http_get(fx_admin_token(), "/v1/actions/%s", id);
    }
    free(owner);

    EXPECT_STATUS(res, 200);
    return res;
}

long afx_history_count(const char *id, const char *event)
{
    return db_long("select count(*) from action_history where action_id::text = $1 and event = $2",
                   2, id, event);
}

long afx_history_total(const char *id)
{
    return db_long("select count(*) from action_history where action_id::text = $1", 1, id);
}

void afx_expect_ids(const http_response *res, size_t n, const char *const *ids)
{
    json_t *items = body_items(res);
    size_t i;

    ck_assert_msg(json_array_size(items) == n, "%s: expected %zu actions, got %zu: %.1500s",
                  res->what, n, json_array_size(items), res->body);
    for (i = 0; i < n; i++)
        ck_assert_msg(items_contain(items, "id", ids[i]), "%s: action %s not listed: %.1500s",
                      res->what, ids[i], res->body);
}

void afx_expect_null(const json_t *obj, const char *key, int absent_ok)
{
    json_t *member = json_object_get(obj, key);

    ck_assert_msg(json_is_null(member) || (absent_ok && member == NULL),
                  "member %s is not null", key);
}

void afx_expect_member(const json_t *obj, const char *key, const char *value)
{
    const char *actual = json_string_value(json_object_get(obj, key));

    ck_assert_msg(actual != NULL && strcmp(actual, value) == 0, "member %s is [%s], expected [%s]",
                  key, actual != NULL ? actual : "(none)", value);
}
