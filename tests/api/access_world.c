/*
 * access_world.c - the world of the access table (see access_world.h).
 */
#include "access_world.h"

#include "action_fixtures.h"
#include "expect.h"
#include "meeting_fixtures.h"
#include "webhook_fixtures.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

/* {"external_ids": [{"system": ACCESS_WORLD_SYSTEM, "id": id}]}, for a record's body. */
static json_t *external_ids(const char *id)
{
    return json_pack("{s:[{s:s, s:s}]}", "external_ids", "system", ACCESS_WORLD_SYSTEM, "id", id);
}

/* Seats `p` on the world's panel in `seat`, as its panel administrator. */
static void seat(const access_world *w, const fx_person *p, const char *seat_name)
{
    mfx_expect_only(http_post(w->s.padmin.token,
                              json_pack("{s:s, s:s}", "person_id", p->id, "seat", seat_name),
                              "/v1/panels/%s/members", w->panel),
                    201, NULL);
}

/* The match's way to panel: the fee discussion with the agency (M11), a panel in a month of
 * its own with its members and decision maker, and the match submitted to it (the item). */
static void panel_and_item(access_world *w)
{
    char month[16] = "";
    char day[16];
    char path[FX_ID_MAX + 32];

    mfx_expect_only(http_post(w->s.finder.token,
                              json_pack("{s:s, s:s, s:s}", "held_on", "2026-01-15",
                                        "agency_contact", "Jo Fees", "notes", "Weekly fee"),
                              "/v1/matches/%s/fee-discussion", w->m.match),
                    200, NULL);
    mfx_unique_day(month, 28, day);
    mfx_create(&w->s.padmin,
               json_pack("{s:s, s:s, s:i, s:s}", "date", day, "kind", "matching", "part", 2,
                         "decision_maker_id", w->s.adm.id),
               "/v1/panels", w->panel);
    seat(w, &w->s.chair, "chair");
    seat(w, &w->s.core[0], "core");
    seat(w, &w->ambassador, "voice_ambassador");
    snprintf(path, sizeof path, "/v1/matches/%s/submit", w->m.match);
    mfx_create(&w->s.finder, json_pack("{s:s}", "panel_id", w->panel), path, w->m.item);
}

/* An administrator's subscription to person.created, and one delivery of it (waited for, a
 * bounded wait: the sender queues it once the event is sequenced). Nothing listens on port 1,
 * so the delivery stays pending. */
static void webhook_and_delivery(access_world *w)
{
    char person[1][FX_ID_MAX];

    wfx_webhook_create(NULL, "http://127.0.0.1:1/access-table", "person.created", w->webhook);
    wfx_people_create(1, person);
    ck_assert_int_ge(wfx_wait_at_least("select count(*) from webhook_deliveries "
                                       "where webhook_id::text = $1",
                                       w->webhook, 1),
                     1);
    wfx_delivery_id(w->webhook, 0, w->delivery);
}

void access_world_create(access_world *w)
{
    char due[40];
    char month[16] = "";
    char agency_id[FX_ID_MAX];
    http_response res;

    memset(w, 0, sizeof *w);
    mfx_scene_create(&w->s, 1);
    fx_person_create(&w->ssw, "ssw", w->s.team);
    fx_person_create(&w->iro, "iro", w->s.team);
    fx_person_create(&w->ambassador, "voice_ambassador", NULL);
    fx_person_create(&w->admin, "admin", NULL);
    fx_unique(agency_id, sizeof agency_id, "agency");
    fx_agency_create(&w->agency, agency_id);

    fx_unique(w->child_external, sizeof w->child_external, "child");
    fx_unique(w->carer_external, sizeof w->carer_external, "carer");
    fx_unique(w->placement_external, sizeof w->placement_external, "placement");
    mfx_match_make(&w->s, &w->m, agency_id, MFX_COMPLETE | MFX_PROPOSE,
                   external_ids(w->child_external), external_ids(w->carer_external));
    fx_child_allocate(&w->s.tm, w->m.child, w->iro.id, "iro");
    fx_carer_allocate(&w->s.tm, w->m.carer, w->ssw.id);
    fx_placement_create(&w->s.tm, w->m.child, w->m.carer, FX_PLACEMENT_START, w->placement);
    panel_and_item(w);

    mtg_meeting_create(&w->s.csw, "ppm", w->m.child, NULL, NULL, mtg_at(mtg_today() + 9, "14:30"),
                       w->s.tm.id, w->meeting);
    afx_time_from_now(due, sizeof due, 7 * 24 * 3600L);
    afx_action_create(w->s.csw.token,
                      afx_action_body("Access table", "child", w->m.child, w->s.csw.id, due),
                      w->action);
    res = http_post(w->agency.token, fx_carer_body(NULL, "approved", 2),
                    "/v1/agencies/%s/carer-submissions", agency_id);
    EXPECT_STATUS(res, 201);
    snprintf(w->submission, sizeof w->submission, "%s", body_string(&res, "id"));
    http_response_free(&res);

    fx_child_create(&w->s.csw, w->sibling);
    fx_child_allocate(&w->s.tm, w->sibling, w->iro.id, "iro");
    fx_child_allocate(&w->s.tm, w->sibling, w->s.finder.id, "family_finder");
    res = http_post(w->s.csw.token,
                    json_pack("{s:[s, s], s:s}", "child_ids", w->m.child, w->sibling, "plan",
                              "together"),
                    "/v1/sibling-groups");
    EXPECT_STATUS(res, 201);
    snprintf(w->sibling_group, sizeof w->sibling_group, "%s", body_string(&res, "id"));
    http_response_free(&res);

    webhook_and_delivery(w);
    for (int day = 15; day == 15 || mtg_isodow(mtg_parse(w->closure)) > 5; day++)
        mfx_unique_day(month, day, w->closure); /* a weekday: a weekend is closed already */
    mfx_expect_only(http_post(w->admin.token,
                              json_pack("{s:s, s:s}", "date", w->closure, "reason", "Access table"),
                              "/v1/calendar/closures"),
                    201, NULL);
}

const fx_person *access_world_person(const access_world *w, const char *role)
{
    const struct {
        const char *role;
        const fx_person *person;
    } holders[] = {
        {"csw", &w->s.csw},
        {"ssw", &w->ssw},
        {"iro", &w->iro},
        {"team_manager", &w->s.tm},
        {"family_finder", &w->s.finder},
        {"panel_member", &w->s.core[0]},
        {"chair", &w->s.chair},
        {"voice_ambassador", &w->ambassador},
        {"adm", &w->s.adm},
        {"panel_admin", &w->s.padmin},
        {"agency", &w->agency},
        {"admin", &w->admin},
    };

    for (size_t i = 0; i < sizeof holders / sizeof holders[0]; i++) {
        if (strcmp(holders[i].role, role) == 0)
            return holders[i].person;
    }
    return NULL;
}

const char *access_world_param(const access_world *w, const char *collection, const char *after,
                               const char *name)
{
    const struct {
        const char *after; /* the literal segment before the parameter */
        const char *name;  /* the parameter */
        const char *value;
    } params[] = {
        {"people", "id", w->s.csw.id},
        {"children", "id", w->m.child},
        {"carers", "id", w->m.carer},
        {"agencies", "agency", w->agency.agency_id},
        {"carer-submissions", "id", w->submission},
        {"versions", "version", "1"},
        {"placements", "id", w->placement},
        {"meetings", "id", w->meeting},
        {"matches", "id", w->m.match},
        {"letters", "recipient", "carers"},
        {"panels", "id", w->panel},
        {"items", "item", w->m.item},
        {"webhooks", "id", w->webhook},
        {"deliveries", "delivery", w->delivery},
        {"closures", "date", w->closure},
        {"actions", "id", w->action},
        {"sibling-groups", "id", w->sibling_group},
        {"by-external", "system", ACCESS_WORLD_SYSTEM},
    };

    if (strcmp(after, "by-external") == 0 && strcmp(name, "id") == 0) {
        if (strcmp(collection, "children") == 0)
            return w->child_external;
        if (strcmp(collection, "carers") == 0)
            return w->carer_external;
        if (strcmp(collection, "placements") == 0)
            return w->placement_external;
        return NULL;
    }
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        if (strcmp(params[i].after, after) == 0 && strcmp(params[i].name, name) == 0)
            return params[i].value;
    }
    return NULL;
}

const char *access_world_body_id(const access_world *w, const char *name)
{
    const fx_person *person = access_world_person(w, name);

    if (person != NULL)
        return person->id;
    if (strcmp(name, "child") == 0)
        return w->m.child;
    if (strcmp(name, "carer") == 0)
        return w->m.carer;
    if (strcmp(name, "panel") == 0)
        return w->panel;
    if (strcmp(name, "match") == 0)
        return w->m.match;
    return NULL;
}
