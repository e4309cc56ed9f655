/* SQL of the reports (E1, U3, P6 and the compliance of rule actions): one set-based statement
 * each. A scope team of NULL means the whole council. */
#ifndef DB_REPORTS_H
#define DB_REPORTS_H

#include "pool.h"

/* $1 person: (team) of the person; no row for an unknown person */
extern const struct db_statement REPORT_PERSON_TEAM;
/* E1 figures: $1 team or null, $2 as_of: (looked after, of whom with 3+ placements in the year,
 * eligible for (b), of whom stable) */
extern const struct db_statement REPORT_STABILITY_FIGURES;
/* E1 children: $1 team or null, $2 as_of: one row per child looked after on as_of (id, name,
 * placements in the year, counted for (a) t/f, looked after since, with the carer since or null,
 * placed for adoption since or null, eligible for (b) t/f, counted for (b) t/f), by name then id */
extern const struct db_statement REPORT_STABILITY_CHILDREN;
/* U3: $1 team or null, $2 first day of the month, $3 waiver_stability_lookback_weeks: one row per
 * unplanned ending in the month (placement id, child id, name, end_date, reason, placement_type,
 * date_of_birth, provider "in_house"/"ifa"/"not_registered", stability meeting before (t/f),
 * unplanned-ending meeting held in its window (t/f), waived (t/f)), by end_date then id */
extern const struct db_statement REPORT_BREAKDOWNS;
/* Compliance: $1 team or null, $2 from, $3 to: (source_rule, team or "admin queue", due, done
 * in time, done late, open, open and past due, cancelled) by rule then team */
extern const struct db_statement REPORT_COMPLIANCE;
/* P6: $1 from, $2 to: (panels held, quorate panels) computed from attendance as M8 does, with
 * $3 the core members needed */
extern const struct db_statement REPORT_PANELS;
/* P6: $1 from, $2 to: one row per match item heard at a panel in the period (match id, child id,
 * panel date, started_on, item status, agreed (t/f), decided_at London date,
 * decision_circulated_at London date), by match then panel date */
extern const struct db_statement REPORT_PANEL_MATCHES;
/* P6: $1 from, $2 to: premature endings in the period of placements of an agreed match's child
 * with its carer: (placement id, child id, name, end_date, reason, match kind, learning or null) */
extern const struct db_statement REPORT_PREMATURE_ENDINGS;

#endif
