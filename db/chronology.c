#include "chronology.h"

/* Pages `entries` (at, kind, summary, ref_type, ref_id) in (at, kind, ref_id) order; the
 * cursor is "epoch microseconds|kind|ref id" of the last entry shown. */
#define PAGE_OF_ENTRIES(entries)                                                                 \
  "WITH e (at, kind, summary, ref_type, ref_id) AS (" entries "),"                                                                     \
  "     page AS (SELECT e.*, row_number() OVER (ORDER BY at, kind, ref_id) AS n FROM e"           \
  "               WHERE $2::text IS NULL"                                                        \
  "                  OR (epoch_microseconds(at), kind, ref_id)"                                   \
  "                     > (split_part($2, '|', 1)::bigint, split_part($2, '|', 2),"               \
  "                        split_part($2, '|', 3)::uuid)"                                          \
  "               ORDER BY at, kind, ref_id LIMIT $3::integer + 1)"                               \
  "SELECT coalesce(json_agg(json_build_object('at', iso_utc(at), 'kind', kind,"                  \
  "                                           'summary', summary,"                               \
  "                                           'ref', json_build_object('type', ref_type,"          \
  "                                                                    'id', ref_id))"            \
  "                         ORDER BY n) FILTER (WHERE n <= $3::integer), '[]'),"                 \
  "       (array_agg(epoch_microseconds(at) || '|' || kind || '|' || ref_id ORDER BY n DESC)"     \
  "          FILTER (WHERE n <= $3::integer))[1],"                                                \
  "       count(*) > $3::integer"                                                                 \
  "  FROM page"

/* The entries of placements, meetings, panel items and decisions whose `column` is $1. */
#define SHARED_ENTRIES(column)                                                                   \
  "SELECT london_day_start(p.start_date)" ", 'placement_started',"                                   \
  "       'Placement started (' || p.placement_type || ')', 'placement', p.id"                     \
  "  FROM placements p WHERE p." column " = $1::uuid"                                              \
  " UNION ALL "                                                                                  \
  "SELECT london_day_start(p.end_date)" ", 'placement_ended',"                                       \
  "       'Placement ended (' || p.end_reason || CASE WHEN p.unplanned THEN ', unplanned' ELSE ''"  \
  "       END || ')', 'placement', p.id"                                                          \
  "  FROM placements p WHERE p." column " = $1::uuid AND p.end_date IS NOT NULL"                  \
  " UNION ALL "                                                                                  \
  "SELECT m.created_at, 'meeting_scheduled',"                                                    \
  "       replace(m.type, '_', ' ') || ' meeting arranged for ' || iso_utc(m.scheduled_at),"      \
  "       'meeting', m.id"                                                                        \
  "  FROM meetings m WHERE m." column " = $1::uuid"                                               \
  " UNION ALL "                                                                                  \
  "SELECT london_day_start(m.held_on)" ", 'meeting_held',"                                           \
  "       replace(m.type, '_', ' ') || ' meeting held' || coalesce(': ' || m.outcome, ''),"      \
  "       'meeting', m.id"                                                                        \
  "  FROM meetings m WHERE m." column " = $1::uuid AND m.status = 'held'"                         \
  " UNION ALL "                                                                                  \
  "SELECT i.created_at, 'panel_item_listed',"                                                    \
  "       'Listed at panel (part ' || i.part || ', ' || replace(i.type, '_', ' ') || ')',"        \
  "       'panel_item', i.id"                                                                     \
  "  FROM panel_items i WHERE i." column " = $1::uuid"                                            \
  " UNION ALL "                                                                                  \
  "SELECT (i.recommendation->>'recorded_at')::timestamptz, 'panel_recommendation',"              \
  "       'Panel recommendation: ' || (i.recommendation->>'outcome'), 'panel_item', i.id"         \
  "  FROM panel_items i WHERE i." column " = $1::uuid AND i.recommendation IS NOT NULL"           \
  " UNION ALL "                                                                                  \
  "SELECT m.decided_at, 'match_decided',"                                                        \
  "       'Agency decision: ' || CASE WHEN m.decision_agreed THEN 'agreed' ELSE 'not agreed' END," \
  "       'match', m.id"                                                                          \
  "  FROM matches m WHERE m." column " = $1::uuid AND m.decided_at IS NOT NULL"                   \
  " UNION ALL "                                                                                  \
  "SELECT a.created_at, 'action_created',"                                                       \
  "       a.title || ' (due ' || iso_utc(a.due_at) || ')', 'action', a.id"                        \
  "  FROM actions a WHERE a.subject_id = $1::uuid"                                                \
  " UNION ALL "                                                                                  \
  "SELECT a.closed_at, 'action_closed', a.title || ': ' || a.status, 'action', a.id"              \
  "  FROM actions a WHERE a.subject_id = $1::uuid AND a.closed_at IS NOT NULL"

const struct db_statement CHRONOLOGY_OF_CHILD = {
    "chronology_of_child",
    PAGE_OF_ENTRIES(SHARED_ENTRIES("child_id")
                    " UNION ALL "
                    "SELECT s.requested_at, 'stability_request',"
                    "       'Stability meeting requested: ' || s.reason, 'stability_request', s.id"
                    "  FROM stability_requests s WHERE s.child_id = $1::uuid")};

const struct db_statement CHRONOLOGY_OF_CARER = {
    "chronology_of_carer",
    PAGE_OF_ENTRIES(SHARED_ENTRIES("carer_id")
                    " UNION ALL "
                    "SELECT s.requested_at, 'support_request',"
                    "       CASE WHEN s.serious THEN 'Serious request for support'"
                    "            ELSE 'Request for support' END, 'support_request', s.id"
                    "  FROM support_requests s WHERE s.carer_id = $1::uuid"
                    " UNION ALL "
                    "SELECT n.wish_recorded_at, 'carer_notice',"
                    "       'The carer wishes to end the placement' ||"
                    "       CASE WHEN n.notice_given_on IS NULL THEN ''"
                    "            ELSE '; notice given on ' || n.notice_given_on END,"
                    "       'placement', n.placement_id"
                    "  FROM carer_notices n JOIN placements p ON p.id = n.placement_id"
                    " WHERE p.carer_id = $1::uuid")};
