#include "allocations.h"

const struct db_statement ALLOCATION_INSERT_FOR_CHILD = {
    "allocation_insert_child",
    "INSERT INTO allocations AS a (child_id, person_id, role, from_date, created_by)"
    " VALUES ($1::uuid, $2, $3, $4::date, $5) RETURNING allocation_json(a), a.id"};

const struct db_statement ALLOCATION_INSERT_FOR_CARER = {
    "allocation_insert_carer",
    "INSERT INTO allocations AS a (carer_id, person_id, role, from_date, created_by)"
    " VALUES ($1::uuid, $2, $3, $4::date, $5) RETURNING allocation_json(a), a.id"};

const struct db_statement ALLOCATION_END_CURRENT_CSW = {
    "allocation_end_current_csw",
    "UPDATE allocations SET to_date = greatest($2::date, from_date)"
    " WHERE child_id = $1::uuid AND role = 'csw' AND (to_date IS NULL OR to_date > $2::date)"};

const struct db_statement ALLOCATION_LIST_FOR_CHILD = {
    "allocation_list_child",
    "SELECT coalesce(json_agg(allocation_json(a) ORDER BY a.from_date, a.id), '[]')"
    "  FROM allocations a WHERE a.child_id = $1::uuid"};

const struct db_statement ALLOCATION_LIST_FOR_CARER = {
    "allocation_list_carer",
    "SELECT coalesce(json_agg(allocation_json(a) ORDER BY a.from_date, a.id), '[]')"
    "  FROM allocations a WHERE a.carer_id = $1::uuid"};
