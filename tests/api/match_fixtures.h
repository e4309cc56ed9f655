/*
 * match_fixtures.h - helpers shared by the submission and panel-hearing tests (spec5): a team
 * with the people a match meets on its way to panel, complete or incomplete matches built
 * through the API, and the assertions those tests repeat (dotted JSON paths, rule refusals
 * with their `missing` list, a database value of a row).
 *
 * Every helper asserts its own success, so a broken fixture fails the test loudly. Ids are
 * written into caller-provided buffers of FX_ID_MAX bytes.
 */
#ifndef API_TEST_MATCH_FIXTURES_H
#define API_TEST_MATCH_FIXTURES_H

#include "fixtures.h"
#include "http_client.h"

#include <jansson.h>

/* Under 11 whenever these tests run (2026 on), so a family finder finds the family (M1). */
#define MFX_CHILD_BORN "2019-02-14"

/* A team (its manager, a CSW, a family finder) and a panel administrator; with_panel also
 * gives a chair, the agency decision maker and three core panel members (all without team). */
typedef struct mfx_scene {
    char team[FX_ID_MAX];
    fx_person tm, csw, finder, padmin;
    fx_person chair, adm, core[3];
} mfx_scene;

/* A child, a carer, the long-term match between them and, once listed, its panel item. */
typedef struct mfx_match {
    char child[FX_ID_MAX], carer[FX_ID_MAX], match[FX_ID_MAX], item[FX_ID_MAX];
} mfx_match;

/* mfx_match_make flags */
#define MFX_COMPLETE 1 /* everything M4 asks for: profiles, matching report, FHR, support plan */
#define MFX_PROPOSE 2  /* the finder proposes the carer (else the match stays in family finding) */

void mfx_scene_create(mfx_scene *s, int with_panel);

/*
 * Adds a document of `type` dated `date` to a child's or carer's file (`file` "children" or
 * "carers") as `who`. `covers` < 0: no covers member; otherwise the first `covers` of the six
 * support-plan areas (6: all). Writes its id into `id` unless NULL.
 */
void mfx_document(const fx_person *who, const char *file, const char *subject, const char *type,
                  const char *date, int covers, char *id);

/*
 * Creates a child of the team (born MFX_CHILD_BORN, the family finder allocated, All About Me
 * and family chronology on file), a carer of the team (`agency` NULL: in-house) and a long-term
 * match started by the finder; see the flags. `child_extra` and `carer_extra` (stolen, may be
 * NULL) are merged into the records' bodies last.
 */
void mfx_match_make(const mfx_scene *s, mfx_match *m, const char *agency, int flags,
                    json_t *child_extra, json_t *carer_extra);

/* POSTs `body` (stolen) to `path` as `who`, asserts 201 and writes the answer's id into `id`. */
void mfx_create(const fx_person *who, json_t *body, const char *path, char *id);

/* The member at the dotted `path` of `root` ("items.0.id": digits index arrays), or NULL. */
json_t *mfx_at(const json_t *root, const char *path);

/* Checks the member at `path` of the body: JSON null when `want` is NULL, a boolean for "true"
 * or "false", otherwise the string `want`. */
void mfx_expect_at(const http_response *res, const char *path, const char *want);

/*
 * Checks a rule refusal: `status` (422 slug policy, 409 conflict, 403 forbidden) with `rule`;
 * when names follow (NULL-terminated), `missing` holds exactly those, in any order. Frees `res`.
 */
void mfx_expect_rule(http_response *res, int status, const char *rule, ...);

/* Checks the status (and the problem's slug when not NULL) of `res`, then frees it. */
void mfx_expect_only(http_response res, int status, const char *slug);

/* Checks SQL `expr` over `table` for the row whose id is `id`, as text: `want`, or NULL for SQL
 * NULL (or no row). */
void mfx_expect_row(const char *table, const char *id, const char *expr, const char *want);

/* The audit rows `sub` wrote with `status` on a route ending with `route_tail`. */
long mfx_audit_rows(const char *sub, const char *route_tail, int status);

/* Checks the match's one action from `rule`: the owner it was created with (NULL: the
 * administrators' queue), its due time (RFC 3339 UTC) and its status. */
void mfx_expect_action(const char *match, const char *rule, const char *owner, const char *due,
                       const char *status);

/* The actions whose subject is the match, from `rule` and in `status` (NULL: any). */
long mfx_match_actions(const char *match, const char *rule, const char *status);

/* The events of `type` about the match (its id as subject or in the payload). */
long mfx_match_events(const char *match, const char *type);

/*
 * The end (23:59:59 Europe/London, as RFC 3339 UTC) of the `n`th working day after `date`
 * (NULL: today in London), from the database's own calendar: Monday to Friday, neither a bank
 * holiday nor a closure day. The caller frees it.
 */
char *mfx_working_day_end(const char *date, int n);

/* A month no other test uses, "YYYY-MM-" (the caller frees): drawn at random from 2200 on
 * among the months with no panel yet (the tests of both passes share one database), so panels
 * there have their month to themselves (M9). */
char *mfx_unique_month(void);

/* Writes day `day` of such a month ("YYYY-MM-DD") into `out` (16 bytes); the same `month`
 * buffer (16 bytes, "" at first) gives the same month again. */
void mfx_unique_day(char *month, int day, char *out);

#endif
