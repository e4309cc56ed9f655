/*
 * fixtures.h - creating the people, children, carers and placements a test needs, through the
 * API itself. The database is shared and never emptied, so every name is made unique with a
 * random suffix, and each test makes its own team and people.
 *
 * Every fixture asserts its own success (201), so a broken fixture fails the test loudly.
 * Ids are written into caller-provided buffers of FX_ID_MAX bytes; nothing needs freeing.
 */
#ifndef API_TEST_FIXTURES_H
#define API_TEST_FIXTURES_H

#include <jansson.h>
#include <stddef.h>

#define FX_ID_MAX 160
#define FX_TOKEN_MAX 4096

/* Dates the fixtures use; children are born on FX_CHILD_DOB, carers approved on FX_APPROVED_ON. */
#define FX_CHILD_DOB "2015-06-01"
#define FX_ENTERED_CARE_ON "2020-01-15"
#define FX_APPROVED_ON "2020-01-01"
#define FX_PLACEMENT_START "2021-03-01"

/* A person known to the service (or just a token holder), with an HS256 token. */
typedef struct fx_person {
    char id[FX_ID_MAX];        /* people id, also the token's sub */
    char team[FX_ID_MAX];      /* people.team, empty for none */
    char agency_id[FX_ID_MAX]; /* token agency_id, empty for none */
    char token[FX_TOKEN_MAX];  /* bearer token for this person */
} fx_person;

/* Writes "<prefix>-<16 random hex digits>" into `out` (from /dev/urandom). */
void fx_unique(char *out, size_t size, const char *prefix);

/* A valid HS256 token with role admin (no people record needed). Static storage. */
const char *fx_admin_token(void);

/*
 * Creates a people record with the single role `role` in `team` (NULL: no team) through
 * POST /v1/people as admin, and mints its token into `p`.
 */
void fx_person_create(fx_person *p, const char *role, const char *team);

/* Like fx_person_create for role agency; the token carries agency_id `agency_id`. */
void fx_agency_create(fx_person *p, const char *agency_id);

/* Fills `p` with a fresh unique id and a token for `role`, without any people record. */
void fx_token_only(fx_person *p, const char *role);

/* A valid child body whose family name is `family_name`. The caller owns it. */
json_t *fx_child_body(const char *family_name);

/* Creates a child as `creator` (csw or team_manager) and writes its id into `id`. */
void fx_child_create(const fx_person *creator, char *id);

/*
 * A valid carer body: one carer, approval `status` (approved_on FX_APPROVED_ON when approved),
 * ages 0..17, `max_children`, agency `agency_id` (NULL: in-house). The caller owns it.
 */
json_t *fx_carer_body(const char *agency_id, const char *status, int max_children);

/* Creates a carer as team manager `tm` (see fx_carer_body) and writes its id into `id`. */
void fx_carer_create(const fx_person *tm, const char *agency_id, const char *status,
                     int max_children, char *id);

/* Allocates person `ssw_id` to carer `carer_id` as ssw (POST as team manager `tm`). */
void fx_carer_allocate(const fx_person *tm, const char *carer_id, const char *ssw_id);

/* Allocates person `person_id` to child `child_id` in `role` (POST as team manager `tm`). */
void fx_child_allocate(const fx_person *tm, const char *child_id, const char *person_id,
                       const char *role);

/*
 * Places `child_id` with `carer_id` from `start_date` (type U4) as `who` and writes the
 * placement id into `id`.
 */
void fx_placement_create(const fx_person *who, const char *child_id, const char *carer_id,
                         const char *start_date, char *id);

/* Ends placement `placement_id` on `end_date` for `reason` as `who`; asserts 200. */
void fx_placement_end(const fx_person *who, const char *placement_id, const char *end_date,
                      const char *reason);

#endif
