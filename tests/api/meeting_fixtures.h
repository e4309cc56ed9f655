/*
 * meeting_fixtures.h - helpers shared by the meetings, stability, endings and duties tests
 * (spec6): a London calendar computed here, independently of the service (today from the
 * clock, working days with the weekends and the England and Wales bank holidays, calendar
 * months that clamp, the end of a London day as a UTC instant); a team with a child, a carer and
 * the people around them; meetings created and held through the API; the rule actions those
 * steps create, read straight from the database; policy settings read and changed.
 *
 * Every helper asserts its own success, so a broken fixture fails the test loudly. Ids are
 * written into caller-provided buffers of FX_ID_MAX bytes.
 */
#ifndef API_TEST_MEETING_FIXTURES_H
#define API_TEST_MEETING_FIXTURES_H

#include "fixtures.h"
#include "http_client.h"
#include "match_fixtures.h"

#include <jansson.h>
#include <time.h>

/* ---- the calendar (Europe/London), computed in the test ---- */

/* A calendar date as a count of days since 1970-01-01. */
typedef long mtg_day;

/* Today's date in London, from the clock (GMT in winter, BST from the last Sunday of March to
 * the last Sunday of October, both changes at 01:00 UTC). */
mtg_day mtg_today(void);

/* "YYYY-MM-DD" to a day (fails the test on a malformed date). */
mtg_day mtg_parse(const char *iso);

/* The day as "YYYY-MM-DD", in one of 16 rotating static buffers (so a test may hold a few
 * at once without freeing anything). */
const char *mtg_date(mtg_day d);

/* 1 for Monday .. 7 for Sunday. */
int mtg_isodow(mtg_day d);

/* Whether `d` is a working day: Monday to Friday and not an England and Wales bank holiday
 * (the table below covers 2026 to 2028; local closure days are only ever added in 2090-2099 by
 * the calendar tests, so none falls in the dates these tests use). */
int mtg_is_working_day(mtg_day d);

/* The `n`th working day after `d` (n >= 1). */
mtg_day mtg_working_day_after(mtg_day d, int n);

/* `d` plus `n` calendar months, the day clamped to the month's length (31 Jan + 1 = 28/29 Feb). */
mtg_day mtg_add_months(mtg_day d, int n);

/* 23:59:59 Europe/London on `d`, as RFC 3339 UTC ("...T22:59:59Z" in summer time), in a
 * rotating static buffer. */
const char *mtg_end_of_day(mtg_day d);

/* An instant as RFC 3339 UTC with whole seconds, in a rotating static buffer. */
const char *mtg_instant(time_t t);

/* "YYYY-MM-DDTHH:MM:SSZ" to seconds since the epoch (fails the test otherwise). */
time_t mtg_parse_instant(const char *rfc3339);

/* A time of day on London date `d` as a UTC instant ("10:00" London -> "09:00Z" in summer);
 * `hhmm` is "HH:MM". Rotating static buffer. */
const char *mtg_at(mtg_day d, const char *hhmm);

/* ---- people and records ---- */

/* A team: its manager, a CSW, an SSW, an IRO and a family finder; a child created by the CSW
 * (so allocated to them) with the IRO and the family finder allocated; an approved carer of the
 * team with the SSW allocated; and, when asked, the child placed with the carer. */
typedef struct mtg_scene {
    char team[FX_ID_MAX];
    fx_person tm, csw, ssw, iro, finder;
    char child[FX_ID_MAX];
    char carer[FX_ID_MAX];
    char placement[FX_ID_MAX]; /* "" when the child is not placed */
} mtg_scene;

/* mtg_scene_create flags */
#define MTG_NO_IRO 1 /* no IRO allocated to the child (rule actions go to the queue) */

/*
 * Creates a scene. `child_extra` (stolen, may be NULL) is merged into the child's body (e.g.
 * date_of_birth, entered_care_on). `placement_start` NULL: the child is not placed; otherwise
 * placed with the carer from that date (type U4, created by the team manager).
 */
void mtg_scene_create(mtg_scene *s, json_t *child_extra, const char *placement_start, int flags);

/* Like fx_token_only for `role`; an "agency" token carries an agency_id of its own (an agency
 * token without one is refused as unauthenticated). */
void mtg_token_for(fx_person *p, const char *role);

/* POST /v1/placements as `who` with `type` ("U4", "U6", ...), asserting 201. */
void mtg_place(const fx_person *who, const char *child, const char *carer, const char *start,
               const char *type, char *id);

/* POST /v1/placements/{id}/end {end_date, reason[, unplanned]} as `who`; `unplanned` < 0 sends
 * no member. The caller frees the answer. */
http_response mtg_end(const fx_person *who, const char *placement, const char *end_date,
                      const char *reason, int unplanned);

/* ---- meetings ---- */

/* POST /v1/meetings as `who`; `carer`, `placement` NULL: not sent. The caller frees. */
http_response mtg_meeting_post(const fx_person *who, const char *type, const char *child,
                               const char *carer, const char *placement, const char *scheduled_at,
                               const char *chair);

/* Like mtg_meeting_post, asserting 201, and writes the meeting's id into `id`. */
void mtg_meeting_create(const fx_person *who, const char *type, const char *child,
                        const char *carer, const char *placement, const char *scheduled_at,
                        const char *chair, char *id);

/* Appends {person_id, name, role, attended} to the JSON array `list` (person_id, name NULL:
 * JSON null). Returns `list`. */
json_t *mtg_attendee(json_t *list, const char *person_id, const char *name, const char *role,
                     int attended);

/* Appends to `list` (returned) the five a PPM invites (P2): the foster carer, CSW, SSW and team
 * manager present, the IRO invited but absent, all by name. */
json_t *mtg_ppm_invited(json_t *list);

/* The attendees S3 asks for: the foster carer (by name), the scene's SSW and CSW, all present. */
json_t *mtg_stability_attendees(const mtg_scene *s);

/* POST /v1/meetings/{id}/held with `body` (stolen) as `who`. The caller frees the answer. */
http_response mtg_hold(const fx_person *who, const char *meeting, json_t *body);

/* A held body: held_on (NULL: not sent), the attendees (stolen), and child_views, carer_views,
 * learning, outcome (NULL: not sent). */
json_t *mtg_held_body(const char *held_on, json_t *attendees, const char *child_views,
                      const char *carer_views, const char *learning, const char *outcome);

/* Creates a stability meeting of the scene chaired by its team manager (created by the CSW,
 * scheduled at 10:00 London on `held_on`), holds it on `held_on` with everything S3 asks for
 * and the outcome `outcome`, asserting 201 and 200. Writes the meeting's id into `id`. */
void mtg_stability_held(const mtg_scene *s, const char *held_on, const char *outcome, char *id);

/* ---- actions (read from the database) ---- */

/*
 * Finds the one action whose source is {source_type, source_id}, from `rule` (NULL: source_rule
 * is null), whose title is `title` (NULL: any) and which was created for `owner` (NULL: the
 * administrators' queue; the owner it was created with, since the service's sweep may have
 * escalated an overdue action since). Fails unless exactly one matches. Writes its id.
 */
void mtg_find_action(const char *source_type, const char *source_id, const char *rule,
                     const char *title, const char *owner, char *id);

/* Like mtg_find_action, but by subject {type, id} instead of source. */
void mtg_find_subject_action(const char *subject_type, const char *subject_id, const char *rule,
                             const char *title, const char *owner, char *id);

/*
 * Checks the action's row: "<subject_type>:<subject_id>|<source_type>:<source_id>|<due_at>|
 * <status>|<duty>" as the database has it (nulls as ""), against the arguments (NULL for
 * null). `source_type` "*" skips the source.
 */
void mtg_expect_action(const char *id, const char *subject_type, const char *subject_id,
                       const char *source_type, const char *source_id, const char *due,
                       const char *status, const char *duty);

/* The actions from `rule` (NULL: any) whose `column` ("source_id", "subject_id") is `id`, in
 * `status` (NULL: any), and with `duty` (NULL: any). */
long mtg_count_actions(const char *column, const char *id, const char *rule, const char *status,
                       const char *duty);

/* POST /v1/actions/{id}/complete as the action's owner (a token minted for its owner; the
 * administrator for the queue), asserting 200. */
void mtg_complete_action(const char *id);

/* The action's status in the database. Asserts it equals `status`. */
void mtg_expect_action_status(const char *id, const char *status);

/* ---- settings ---- */

/* The current value of policy setting `name`, read with GET /v1/settings. */
long mtg_setting(const char *name);

/* Sets `name` to `value` (value < 0: null, which restores the default) with PATCH
 * /v1/settings as an administrator, If-Match the ETag GET gave; asserts 200. */
void mtg_setting_set(const char *name, long value);

/* ---- answers ---- */

/* Checks the integer at `path` (see mfx_at). */
void mtg_expect_int_at(const http_response *res, const char *path, long want);

/* Returns non-zero when some element of `items` has string member `key` equal to `value` and
 * (when key2 is not NULL) string member `key2` equal to `value2`. */
int mtg_items_have(const json_t *items, const char *key, const char *value, const char *key2,
                   const char *value2);

/* Checks that |a - b| <= tolerance seconds, for two RFC 3339 instants. */
void mtg_expect_near(const char *what, const char *a, time_t b, long tolerance);

#endif
