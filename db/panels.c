#include "panels.h"

const struct db_statement PANEL_INSERT = {
    "panel_insert",
    "INSERT INTO panels AS p (panel_date, kind, part, created_by, decision_maker_id)"
    " VALUES ($1::date, $2, $3::integer, $4, $5) RETURNING panel_json(p), p.id, p.version"};

const struct db_statement PERSON_IS_ADM = {
    "person_is_adm", "SELECT 1 FROM people WHERE id = $1 AND 'adm' = ANY (roles)"};

const struct db_statement PANEL_GET = {
    "panel_get",
    "SELECT panel_json(p), p.version, m.person_id IS NOT NULL, m.seat"
    "  FROM panels p LEFT JOIN panel_members m ON m.panel_id = p.id AND m.person_id = $2"
    " WHERE p.id = $1::uuid"};

const struct db_statement PANEL_SEATS = {
    "panel_seats",
    "SELECT seat, coalesce(attended, false) FROM panel_members WHERE panel_id = $1::uuid"};

const struct db_statement PANEL_LIST = {
    "panel_list",
    "SELECT coalesce(json_agg(item ORDER BY id) FILTER (WHERE n <= $6::integer), '[]'),"
    "       (array_agg(id ORDER BY id DESC) FILTER (WHERE n <= $6::integer))[1],"
    "       count(*) > $6::integer"
    "  FROM (SELECT p.id, panel_json(p) AS item, row_number() OVER (ORDER BY p.id) AS n"
    "          FROM panels p"
    "         WHERE ($2::boolean OR EXISTS (SELECT 1 FROM panel_members m"
    "                                        WHERE m.panel_id = p.id AND m.person_id = $1))"
    "           AND ($3::date IS NULL OR p.panel_date >= $3::date)"
    "           AND ($4::date IS NULL OR p.panel_date <= $4::date)"
    "           AND ($5::uuid IS NULL OR p.id > $5::uuid)"
    "         ORDER BY p.id LIMIT $6::integer + 1) page"};

const struct db_statement PANEL_MEMBER_INSERT = {
    "panel_member_insert",
    "INSERT INTO panel_members (panel_id, person_id, seat) VALUES ($1::uuid, $2, $3)"};

const struct db_statement PANEL_ATTENDANCE = {
    "panel_attendance",
    "UPDATE panel_members SET attended = $3::boolean"
    " WHERE panel_id = $1::uuid AND person_id = $2 RETURNING person_id"};
