/*
 * access_world.h - the small world the access table (test_access_table.c) is checked against:
 * one team's people, one of each role, and one record of every kind the routes reach, each
 * related to those people as POLICY.md's "Roles" relates a caller to their own records.
 *
 * The table test builds two such worlds. The callers are the first world's people: its records
 * are their own ("own"); the second world's, identical in shape but tied to other people, are
 * another's ("other").
 */
#ifndef API_TEST_ACCESS_WORLD_H
#define API_TEST_ACCESS_WORLD_H

#include "fixtures.h"
#include "match_fixtures.h"

typedef struct access_world {
    mfx_scene s;            /* the team: tm, csw, finder; padmin, chair, adm, core[3] */
    fx_person ssw;          /* in the team, allocated to the carer */
    fx_person iro;          /* in the team, allocated to the child */
    fx_person ambassador;   /* voice_ambassador seated on the panel */
    fx_person agency;       /* agency whose carer the household is */
    fx_person admin;        /* administrator (with a people record) */
    mfx_match m;            /* the child (created by the CSW, the IRO and the finder allocated),
                               the agency's carer (the SSW allocated), their match and its item
                               on the panel */
    char child_external[FX_ID_MAX]; /* the child's id in system ACCESS_WORLD_SYSTEM */
    char carer_external[FX_ID_MAX]; /* the carer's id in system ACCESS_WORLD_SYSTEM */
    char placement_external[FX_ID_MAX]; /* an id no placement holds (a sync would create one) */
    char placement[FX_ID_MAX];      /* the child placed with the carer */
    char panel[FX_ID_MAX];          /* chair, core[0] and the ambassador seated; adm decides */
    char meeting[FX_ID_MAX];        /* a PPM about the child, arranged by the CSW */
    char action[FX_ID_MAX];         /* on the child, owned by the CSW */
    char submission[FX_ID_MAX];     /* the agency's carer submission (version 1) */
    char webhook[FX_ID_MAX];        /* an administrator's subscription */
    char delivery[FX_ID_MAX];       /* one of its deliveries */
    char closure[16];               /* a closure day an administrator added */
    char sibling[FX_ID_MAX];        /* the child's sibling: created by the CSW, the IRO and the
                                       finder allocated, not placed */
    char sibling_group[FX_ID_MAX];  /* the child and the sibling, to be placed together */
} access_world;

/* The external system the worlds' children and carers are known in. */
#define ACCESS_WORLD_SYSTEM "access-table"

/* Builds a world through the API (every step asserts its own success). */
void access_world_create(access_world *w);

/* The person of the world holding `role` (a claim name of domain/roles.c), or NULL when the
 * world has none (a role added to the service needs its person here). */
const fx_person *access_world_person(const access_world *w, const char *role);

/*
 * The value of path parameter `name` (":id" without the colon) of a route under /v1/`collection`,
 * `after` being the literal segment before it ("children" for /v1/children/:id, "items" for
 * .../items/:item): the id of the world's record it names. NULL when the world has none.
 */
const char *access_world_param(const access_world *w, const char *collection, const char *after,
                               const char *name);

/* The id named `name` in a request body of the access table ("child", "carer", "panel", "match",
 * or a role's person: "csw", "ssw", "team_manager", ...), or NULL when the world has none. */
const char *access_world_body_id(const access_world *w, const char *name);

#endif
