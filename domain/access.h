/* Who may do what (POLICY.md "Roles"): roles alone are not enough; access follows the caller's
 * relationships to the record. This module names, for a caller's roles and an action, the
 * relationships that grant it; the database says which relationships the caller has.
 * An empty set means the roles never allow the action (403); a non-empty set that the caller
 * does not hold on a record means the record is private to them (404). */
#ifndef DOMAIN_ACCESS_H
#define DOMAIN_ACCESS_H

#include <stdbool.h>
#include <stddef.h>

#include "roles.h"

enum access_action { ACCESS_READ, ACCESS_WRITE };

enum relationship {
  REL_CHILD_CSW = 1u << 0,           /* allocated to the child as its social worker */
  REL_CHILD_IRO = 1u << 1,           /* allocated to the child as its reviewing officer */
  REL_CHILD_FAMILY_FINDER = 1u << 2, /* allocated to the child as its family finder */
  REL_CHILD_PLACED_WITH_SSW = 1u << 3, /* the child is placed now with a carer the caller supervises */
  REL_CARER_SSW = 1u << 4,           /* allocated to the carer as supervising social worker */
  REL_CARER_OF_CSW_CHILD = 1u << 5,  /* the carer has, now, a child allocated to the caller as CSW */
  REL_TEAM = 1u << 6,                /* the record belongs to the caller's team */
  REL_OWN_AGENCY = 1u << 7,          /* the carer belongs to the caller's agency */
  REL_ANY_CARER = 1u << 8,           /* every carer (the family finder searches the register) */
};

typedef unsigned int relationship_set;

/* Relationships granting `action` on a child to a caller holding `roles`. */
relationship_set access_child_grants(role_set roles, enum access_action action);

/* P5: who asks Part 1 of the permanence panel about a child (a plan review, a resource, a home
 * search, an IRO's review): the child's social worker and reviewing officer, and the team
 * manager of the child's team (the panel administrator lists any request). */
relationship_set access_part1_request_grants(role_set roles);

/* Meetings about a child (P2, S3, U1, P7, L1-L2) are arranged, held and read by those who work
 * the child's case: the relationships that let them read the child's record. */
relationship_set access_meeting_grants(role_set roles);

/* S1: a stability meeting is asked for by the child's CSW or IRO, or by the SSW of the carer the
 * child lives with (also for the foster carer or a professional acting through them). */
relationship_set access_stability_request_grants(role_set roles);

/* P1: the children who have no permanence plan are listed for those who plan for them (their
 * CSW, IRO, family finder and team manager), not for the SSW of the carer they live with. */
relationship_set access_permanence_plan_report_grants(role_set roles);

/* U2: the reviewing team manager (of the child's team) waives an unplanned-ending meeting. */
relationship_set access_waiver_grants(role_set roles);

/* R2: a carer's chronology names the children placed there and the meetings about them, so it
 * is for those who work with the household (the SSW, the CSW of a child placed there, the
 * team), not for everyone who may read the carer's profile (a family finder searching the
 * register, the carer's agency). */
relationship_set access_carer_chronology_grants(role_set roles);

/* Family finding (issue 10): the carers who could be a child's family are searched for by the
 * child's social worker, the child's family finder and the team manager of the child's team. */
relationship_set access_family_finding_grants(role_set roles);

/* Relationships granting `action` on a carer to a caller holding `roles`. */
relationship_set access_carer_grants(role_set roles, enum access_action action);

/* Creating records: a team manager creates children and carers; a CSW creates children (and is
 * allocated to them). Allocations are made by the team manager of the record's team. */
int access_may_create_child(role_set roles);
int access_may_create_carer(role_set roles);
int access_may_allocate(role_set roles);

/* A carer's approval and agency decide where children may be placed and which agency sees the
 * household: only a team manager changes them (an SSW keeps the rest of the profile). */
int access_may_change_carer_approval(role_set roles);

/* People and the audit trail are the administrator's. */
int access_may_manage_people(role_set roles);
int access_may_read_audit(role_set roles);

/* Whether every relationship in `set` is an allocation to a child (csw, iro, family_finder):
 * then the check is one lookup in the allocations. */
bool access_by_child_allocation_only(relationship_set set);

/* Writes the names of the relationships in `set` as a PostgreSQL text array literal
 * ("{csw,team}") into buf. Returns buf. */
char *relationship_array_literal(relationship_set set, char *buf, size_t size);

#endif
