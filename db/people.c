#include "people.h"

const struct db_statement PERSON_INSERT = {
    "person_insert",
    "INSERT INTO people (id, name, email, team, manager_id, roles)"
    " SELECT d->>'id', d->>'name', d->>'email', d->>'team', d->>'manager_id',"
    "        ARRAY(SELECT jsonb_array_elements_text(d->'roles'))"
    "   FROM (SELECT $1::jsonb AS d) input"
    " RETURNING person_json(people), version"};

const struct db_statement PERSON_GET = {
    "person_get", "SELECT person_json(p), p.version FROM people p WHERE p.id = $1"};

const struct db_statement PERSON_LOCK = {
    "person_lock", "SELECT person_json(p), p.version FROM people p WHERE p.id = $1 FOR UPDATE"};

const struct db_statement PERSON_UPDATE = {
    "person_update",
    "UPDATE people p SET name = d->>'name', email = d->>'email', team = d->>'team',"
    "       manager_id = d->>'manager_id',"
    "       roles = ARRAY(SELECT jsonb_array_elements_text(d->'roles')),"
    "       version = p.version + 1, updated_at = now()"
    "  FROM (SELECT $2::jsonb AS d) input"
    " WHERE p.id = $1"
    " RETURNING person_json(p), p.version"};

const struct db_statement PERSON_EXISTS = {"person_exists",
                                           "SELECT 1 FROM people WHERE id = $1"};

const struct db_statement PERSON_LIST = {
    "person_list",
    "SELECT coalesce(json_agg(item ORDER BY id) FILTER (WHERE n <= $3::integer), '[]'),"
    "       (array_agg(id ORDER BY id DESC) FILTER (WHERE n <= $3::integer))[1],"
    "       count(*) > $3::integer"
    "  FROM (SELECT p.id, person_json(p) AS item, row_number() OVER (ORDER BY p.id) AS n"
    "          FROM people p"
    "         WHERE ($1::text IS NULL OR p.team = $1) AND ($2::text IS NULL OR p.id > $2)"
    "         ORDER BY p.id LIMIT $3::integer + 1) page"};

const struct db_statement PERSON_HOLDS_ROLE = {
    "person_holds_role", "SELECT true, $2 = ANY (roles) FROM people WHERE id = $1"};
