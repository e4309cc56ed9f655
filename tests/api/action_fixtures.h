/*
 * action_fixtures.h - helpers shared by the action, sweep (S7) and two-instance tests: people
 * with a manager, actions created through the API, sweeps run as an administrator, and the
 * action's history read straight from the database.
 *
 * Every helper asserts its own success, so a broken fixture fails the test loudly. Ids are
 * written into caller-provided buffers of FX_ID_MAX bytes.
 */
#ifndef API_TEST_ACTION_FIXTURES_H
#define API_TEST_ACTION_FIXTURES_H

#include "fixtures.h"
#include "http_client.h"

#include <jansson.h>
#include <stddef.h>

/*
 * Like fx_person_create, with people.manager_id set to `manager_id` (NULL: no manager), so the
 * person's overdue actions escalate to that manager (S7).
 */
void afx_person(fx_person *p, const char *role, const char *team, const char *manager_id);

/* The people and the child most action tests need, each unique to the test. */
typedef struct afx_scene {
    char team[FX_ID_MAX];  /* a fresh team */
    fx_person tm;          /* team manager of `team`: creates carers, makes allocations */
    fx_person mgr;         /* the csw's line manager (team_manager role, in no team), so they
                              see the csw's actions only as the owner's manager */
    fx_person csw;         /* in `team`; manager_id mgr (unless made without a manager) */
    char child[FX_ID_MAX]; /* created by csw, so allocated to them */
} afx_scene;

/*
 * Creates a scene. `with_manager` zero: the csw has no manager (mgr is then left empty), so
 * their overdue actions escalate straight to the administrators' queue.
 */
void afx_scene_create(afx_scene *s, int with_manager);

/*
 * A valid new-action body: `title`, subject {type, id}, owner, due time. The caller owns it
 * (http_post steals it).
 */
json_t *afx_action_body(const char *title, const char *subject_type, const char *subject_id,
                        const char *owner_id, const char *due_at);

/* POSTs `body` (stolen) to /v1/actions as `token`, asserts 201 and writes the id into `id`. */
void afx_action_create(const char *token, json_t *body, char *id);

/* Writes the RFC 3339 UTC time `seconds` from now ("2026-11-25T10:00:00Z") into `out`. */
void afx_time_from_now(char *out, size_t size, long seconds);

/*
 * POST /v1/actions/sweep {"as_of": as_of} as an administrator; asserts 200 and that the answer
 * echoes as_of with integer flagged and escalated counts. Returns the answer (caller frees).
 */
http_response afx_sweep(const char *as_of);

/* POST /v1/actions/sweep as of `as_of` as afx_sweep does, dropping the answer (its counts cover
 * other tests' actions too). */
void afx_sweep_only(const char *as_of);

/* GET /v1/actions/{id} as an administrator; asserts 200. The caller frees the answer. */
http_response afx_get_action(const char *id);

/* The number of action_history rows of action `id` with event `event`. */
long afx_history_count(const char *id, const char *event);

/* The number of action_history rows of action `id`, whatever the event. */
long afx_history_total(const char *id);

/*
 * Checks that the list answer `res` has exactly `n` items and that their ids are `ids[0..n)`
 * (in any order).
 */
void afx_expect_ids(const http_response *res, size_t n, const char *const *ids);

/* Checks that member `key` of object `obj` is JSON null (or absent when `absent_ok`). */
void afx_expect_null(const json_t *obj, const char *key, int absent_ok);

/* Checks that string member `key` of object `obj` equals `value`. */
void afx_expect_member(const json_t *obj, const char *key, const char *value);

#endif
