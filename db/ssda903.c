#include "ssda903.h"

const struct db_statement SSDA903_CALLER_TEAM = {
    "ssda903_caller_team", "SELECT team FROM people WHERE id = $1"};

const struct db_statement SSDA903_IMPORT = {
    "ssda903_import",
    "SELECT resource_type, resource_id, external_id, outcome, before, after"
    "  FROM ssda903_import($1::jsonb, $2::jsonb, $3, $4)"};

const struct db_statement SSDA903_SET_U1_WINDOW = {
    "ssda903_set_u1_window",
    "UPDATE placements SET u1_earliest_on = $2::date, u1_latest_on = $3::date"
    " WHERE id = $1::uuid"};

const struct db_statement SSDA903_EXPORT = {
    "ssda903_export",
    "SELECT coalesce(x.external_id, c.id::text) AS child, to_char(p.start_date, 'DD/MM/YYYY'),"
    "       coalesce(p.new_episode_reason, ''), coalesce(p.legal_status, ''),"
    "       coalesce(p.category_of_need, ''), p.placement_type, coalesce(p.provider, ''),"
    "       coalesce(to_char(p.end_date, 'DD/MM/YYYY'), ''), coalesce(p.ceased_reason, ''),"
    "       coalesce(p.end_reason, ''), coalesce(p.home_postcode, ''),"
    "       coalesce(p.placement_postcode, ''), coalesce(p.urn, '')"
    "  FROM placements p JOIN children c ON c.id = p.child_id"
    "  LEFT JOIN (SELECT e.resource_id, min(e.external_id) AS external_id FROM external_ids e"
    "              WHERE e.resource_type = 'child' AND e.system = 'ssda903'"
    "              GROUP BY e.resource_id) x ON x.resource_id = c.id"
    " WHERE ($1::text IS NULL OR c.team = $1)"
    "   AND p.start_date <= make_date($2::integer, 3, 31)"
    "   AND (p.end_date IS NULL OR p.end_date >= make_date($2::integer - 1, 4, 1))"
    " ORDER BY 1, p.start_date"};
