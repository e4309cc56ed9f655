/* SQL of the reports: see reports.h. Each report is one statement over the whole scope, never a
 * query per child. */
#include "reports.h"

const struct db_statement REPORT_PERSON_TEAM = {
    "report_person_team", "SELECT team FROM people WHERE id = $1"};

/* E1. A child is looked after on as_of when a placement of theirs is open that day (started on
 * or before it, not ended by it: a placement ending on as_of is over). Placements are read in
 * order of start; `prev_reach` is the latest end of the ones before, so a placement starting
 * after it follows a break in care, and one whose carer differs from the one before (or has no
 * carer on the register) starts a new stay with a carer.
 * (a) placements during the year: those open on some day of (as_of - 1 year, as_of].
 * (b) under 16 on as_of; looked after continuously since entered_care_on (the start of the first
 * placement when the record gives none), or since the last break in care after it, at least 30
 * months before as_of; with the current carer since 2 years before as_of, or placed for adoption
 * (A3-A6) with this placement and the one before it starting 2 years before as_of.
 * E1_RATED_CHILDREN ends in `rated`, one row per child in scope judged for both measures; the
 * figures count its rows and the lists show them. */
#define E1_RATED_CHILDREN \
    "WITH pl AS (" \
    "  SELECT p.child_id, p.carer_id, p.placement_type, p.start_date, p.end_date," \
    "         p.end_date IS NULL OR p.end_date > $2::date AS open_on," \
    "         lag(p.carer_id) OVER w AS prev_carer, lag(p.start_date) OVER w AS prev_start," \
    "         max(coalesce(p.end_date, 'infinity'::date))" \
    "           OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_reach" \
    "    FROM placements p JOIN children c ON c.id = p.child_id" \
    "   WHERE p.start_date <= $2::date AND ($1::text IS NULL OR c.team = $1::text)" \
    "     AND EXISTS (SELECT 1 FROM placements o WHERE o.child_id = p.child_id" \
    "                    AND o.start_date <= $2::date" \
    "                    AND (o.end_date IS NULL OR o.end_date > $2::date))" \
    "  WINDOW w AS (PARTITION BY p.child_id" \
    "               ORDER BY p.start_date, coalesce(p.end_date, 'infinity'::date), p.id)" \
    "), per_child AS (" \
    "  SELECT child_id," \
    "         count(*) FILTER (WHERE end_date IS NULL" \
    "                            OR end_date > ($2::date - interval '1 year')) AS in_year," \
    "         min(start_date) AS first_start," \
    "         max(start_date) FILTER (WHERE prev_reach IS NOT NULL" \
    "                                   AND start_date > prev_reach) AS after_break," \
    "         max(start_date) FILTER (WHERE prev_reach IS NULL OR start_date > prev_reach" \
    "                                    OR carer_id IS NULL" \
    "                                    OR prev_carer IS DISTINCT FROM carer_id) AS carer_since," \
    "         bool_or(open_on AND carer_id IS NOT NULL) AS with_carer," \
    "         bool_or(open_on AND placement_type IN ('A3', 'A4', 'A5', 'A6')) AS for_adoption," \
    "         min(coalesce(prev_start, start_date)) FILTER (WHERE open_on) AS adoption_since" \
    "    FROM pl GROUP BY child_id" \
    "), judged AS (" \
    "  SELECT c.id, concat_ws(' ', c.doc->>'given_name', c.doc->>'family_name') AS name," \
    "         k.in_year, k.in_year >= 3 AS a_counted," \
    "         greatest(coalesce((c.doc->>'entered_care_on')::date, k.first_start)," \
    "                  k.after_break) AS care_since," \
    "         CASE WHEN k.with_carer THEN k.carer_since END AS carer_since," \
    "         CASE WHEN k.for_adoption THEN k.adoption_since END AS adoption_since," \
    "         c.date_of_birth + interval '16 years' > $2::date AS under_16" \
    "    FROM per_child k JOIN children c ON c.id = k.child_id" \
    "), rated AS (" \
    "  SELECT *, under_16 AND care_since <= ($2::date - interval '30 months') AS b_eligible," \
    "         coalesce(carer_since <= ($2::date - interval '2 years'), false)" \
    "           OR coalesce(adoption_since <= ($2::date - interval '2 years'), false) AS b_counted" \
    "    FROM judged" \
    ")"

const struct db_statement REPORT_STABILITY_FIGURES = {
    "report_stability_figures",
    E1_RATED_CHILDREN
    "SELECT count(*), count(*) FILTER (WHERE a_counted),"
    "       count(*) FILTER (WHERE b_eligible), count(*) FILTER (WHERE b_eligible AND b_counted)"
    "  FROM rated"};

const struct db_statement REPORT_STABILITY_CHILDREN = {
    "report_stability_children",
    E1_RATED_CHILDREN
    "SELECT id, name, in_year, a_counted, care_since, carer_since, adoption_since, b_eligible,"
    "       b_counted"
    "  FROM rated ORDER BY name, id"};

/* U3. The stability meeting counts when held in the lookback before the ending (U2's window,
 * domain/endings.c); the unplanned-ending meeting when held within the placement's U1 window. */
const struct db_statement REPORT_BREAKDOWNS = {
    "report_breakdowns",
    "SELECT p.id, p.child_id, concat_ws(' ', c.doc->>'given_name', c.doc->>'family_name'),"
    "       p.end_date, p.end_reason, p.placement_type, c.date_of_birth,"
    "       CASE WHEN p.carer_id IS NULL THEN 'not_registered'"
    "            WHEN k.agency_id IS NULL THEN 'in_house' ELSE 'ifa' END,"
    "       EXISTS (SELECT 1 FROM meetings m WHERE m.child_id = p.child_id"
    "                  AND m.type = 'stability' AND m.status = 'held'"
    "                  AND m.held_on BETWEEN p.end_date - 7 * $3::int AND p.end_date),"
    "       EXISTS (SELECT 1 FROM meetings m WHERE m.placement_id = p.id"
    "                  AND m.type = 'unplanned_ending' AND m.status = 'held'"
    "                  AND m.held_on BETWEEN p.u1_earliest_on AND p.u1_latest_on),"
    "       p.u1_waiver_reason IS NOT NULL"
    "  FROM placements p JOIN children c ON c.id = p.child_id"
    "  LEFT JOIN carers k ON k.id = p.carer_id"
    " WHERE p.unplanned AND p.end_date >= $2::date"
    "   AND p.end_date < ($2::date + interval '1 month')"
    "   AND ($1::text IS NULL OR c.team = $1::text)"
    " ORDER BY p.end_date, p.id"};

/* Compliance: actions of a rule due on a London day of [from, to]; the team is the current
 * owner's (after any S7 escalation). */
const struct db_statement REPORT_COMPLIANCE = {
    "report_compliance",
    "SELECT a.source_rule,"
    "       CASE WHEN a.owner_id IS NULL THEN 'admin queue' ELSE coalesce(pe.team, 'no team') END,"
    "       count(*),"
    "       count(*) FILTER (WHERE a.status = 'done' AND a.closed_at <= a.due_at),"
    "       count(*) FILTER (WHERE a.status = 'done' AND a.closed_at > a.due_at),"
    "       count(*) FILTER (WHERE a.status = 'open'),"
    "       count(*) FILTER (WHERE a.status = 'open' AND a.due_at < now()),"
    "       count(*) FILTER (WHERE a.status = 'cancelled')"
    "  FROM actions a LEFT JOIN people pe ON pe.id = a.owner_id"
    " WHERE a.source_rule IS NOT NULL"
    "   AND a.due_at >= london_day_start($2::date) AND a.due_at < london_day_start($3::date + 1)"
    "   AND ($1::text IS NULL OR (a.owner_id IS NOT NULL AND pe.team = $1::text))"
    " GROUP BY 1, 2 ORDER BY 1, 2"};

/* P6: the panels of the period with their seats ("seat:attended,..."; attended t/f/n). */
const struct db_statement REPORT_PANELS = {
    "report_panels",
    "SELECT p.id, p.panel_date, p.kind,"
    "       (SELECT coalesce(string_agg(m.seat || ':' || CASE m.attended WHEN true THEN 't'"
    "                                                     WHEN false THEN 'f' ELSE 'n' END, ','),"
    "                        '')"
    "          FROM panel_members m WHERE m.panel_id = p.id)"
    "  FROM panels p WHERE p.panel_date BETWEEN $1::date AND $2::date"
    "   AND EXISTS (SELECT 1 FROM panel_members m WHERE m.panel_id = p.id AND m.attended)"
    " ORDER BY p.panel_date, p.id"};

const struct db_statement REPORT_PANEL_MATCHES = {
    "report_panel_matches",
    "SELECT m.id, m.child_id, p.panel_date, m.started_on, i.status,"
    "       i.status = 'recommended' AND m.decision_agreed IS TRUE,"
    "       to_char(m.decided_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD'),"
    "       to_char(m.decision_circulated_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')"
    "  FROM panel_items i JOIN panels p ON p.id = i.panel_id JOIN matches m ON m.id = i.match_id"
    " WHERE i.type = 'match' AND i.status IN ('recommended', 'deferred')"
    "   AND p.panel_date BETWEEN $1::date AND $2::date"
    " ORDER BY m.id, p.panel_date"};

/* P6: a premature ending: an unplanned ending in the period of a placement of an agreed match's
 * child with the match's carer, with the learning of its unplanned-ending meeting. */
const struct db_statement REPORT_PREMATURE_ENDINGS = {
    "report_premature_endings",
    "SELECT p.id, p.child_id, concat_ws(' ', c.doc->>'given_name', c.doc->>'family_name'),"
    "       p.end_date, p.end_reason, min(m.kind),"
    "       (SELECT string_agg(u.learning, E'\\n' ORDER BY u.held_on) FROM meetings u"
    "         WHERE u.placement_id = p.id AND u.type = 'unplanned_ending' AND u.status = 'held'"
    "           AND u.learning IS NOT NULL)"
    "  FROM placements p JOIN children c ON c.id = p.child_id"
    "  JOIN matches m ON m.child_id = p.child_id AND m.carer_id = p.carer_id"
    "                AND m.status = 'agreed'"
    " WHERE p.unplanned AND p.end_date BETWEEN $1::date AND $2::date"
    " GROUP BY p.id, c.id ORDER BY p.end_date, p.id"};
