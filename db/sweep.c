#include "sweep.h"

const struct db_statement SWEEP_TIMEOUT = {
    "sweep_timeout", "SELECT set_config('statement_timeout', '10min', true)"};

const struct db_statement SWEEP_LOCK = {"sweep_lock", "SELECT pg_advisory_xact_lock(7461000003)"};

const struct db_statement SWEEP_FLAG_DATES = {
    "sweep_flag_dates",
    "SELECT DISTINCT to_char(london_date(due_at), 'YYYY-MM-DD') FROM actions"
    " WHERE status = 'open' AND flagged_at IS NULL AND due_at < to_timestamp($1::bigint)"};

/* S7: an open action past its due time is flagged: its owner is told (an event), and it is
 * re-checked at the time the map gives for its due date. */
const struct db_statement SWEEP_FLAG = {
    "sweep_flag",
    "WITH m AS (SELECT * FROM unnest($2::date[], $3::bigint[]) AS m (day, recheck)),"
    " flagged AS ("
    "  UPDATE actions a SET flagged_at = to_timestamp($1::bigint),"
    "         recheck_at = to_timestamp(m.recheck), version = a.version + 1, updated_at = now()"
    "    FROM m"
    "   WHERE a.status = 'open' AND a.flagged_at IS NULL AND a.due_at < to_timestamp($1::bigint)"
    "     AND london_date(a.due_at) = m.day"
    "  RETURNING a.id, a.owner_id, a.subject_type),"
    " history AS ("
    "  INSERT INTO action_history (action_id, event, from_owner, to_owner, note)"
    "  SELECT id, 'flagged', owner_id, owner_id, 'S7' FROM flagged),"
    " told AS ("
    "  INSERT INTO events (type, subject_type, subject_id, recipient, payload)"
    "  SELECT 'action.flagged', 'action', id::text, owner_id,"
    "         jsonb_build_object('action_id', id, 'rule', 'S7', 'from_owner', owner_id,"
    "                            'to_owner', owner_id, 'subject_type', subject_type)"
    "    FROM flagged),"
    " audited AS ("
    "  INSERT INTO audit_log (sub, roles, method, route, resource_type, resource_id, status,"
    "                         changes, request_id)"
    "  SELECT NULL, '{}', 'SWEEP', 'S7 action sweep', 'action', id::text, 200,"
    "         jsonb_build_object('before', jsonb_build_object('owner_id', owner_id),"
    "                            'after', jsonb_build_object('owner_id', owner_id,"
    "                                                        'event', 'flagged')), $4"
    "    FROM flagged)"
    "SELECT count(*) FROM flagged"};

const struct db_statement SWEEP_ESCALATE_DATES = {
    "sweep_escalate_dates",
    "SELECT DISTINCT to_char(london_date(recheck_at), 'YYYY-MM-DD') FROM actions"
    " WHERE status = 'open' AND recheck_at <= to_timestamp($1::bigint)"};

/* S7: still open at its re-check, an action escalates to its owner's manager, who becomes its
 * owner (re-checked again later), or to the administrators' queue when there is no manager. */
const struct db_statement SWEEP_ESCALATE = {
    "sweep_escalate",
    "WITH m AS (SELECT * FROM unnest($2::date[], $3::bigint[]) AS m (day, recheck)),"
    " due AS ("
    "  SELECT a.id, a.owner_id AS from_owner, o.manager_id AS to_owner, m.recheck"
    "    FROM actions a JOIN people o ON o.id = a.owner_id"
    "    JOIN m ON m.day = london_date(a.recheck_at)"
    "   WHERE a.status = 'open' AND a.recheck_at <= to_timestamp($1::bigint)"
    "     FOR UPDATE OF a),"
    " escalated AS ("
    "  UPDATE actions a SET owner_id = due.to_owner,"
    "         recheck_at = CASE WHEN due.to_owner IS NULL THEN NULL"
    "                           ELSE to_timestamp(due.recheck) END,"
    "         escalations = a.escalations + 1, version = a.version + 1, updated_at = now()"
    "    FROM due WHERE a.id = due.id"
    "  RETURNING a.id, due.from_owner, due.to_owner, a.subject_type),"
    " history AS ("
    "  INSERT INTO action_history (action_id, event, from_owner, to_owner, note)"
    "  SELECT id, 'escalated', from_owner, to_owner, 'S7' FROM escalated),"
    " told AS ("
    "  INSERT INTO events (type, subject_type, subject_id, recipient, payload)"
    "  SELECT 'action.escalated', 'action', id::text, to_owner,"
    "         jsonb_build_object('action_id', id, 'rule', 'S7', 'from_owner', from_owner,"
    "                            'to_owner', to_owner, 'subject_type', subject_type)"
    "    FROM escalated),"
    " audited AS ("
    "  INSERT INTO audit_log (sub, roles, method, route, resource_type, resource_id, status,"
    "                         changes, request_id)"
    "  SELECT NULL, '{}', 'SWEEP', 'S7 action sweep', 'action', id::text, 200,"
    "         jsonb_build_object('before', jsonb_build_object('owner_id', from_owner),"
    "                            'after', jsonb_build_object('owner_id', to_owner,"
    "                                                        'event', 'escalated')), $4"
    "    FROM escalated)"
    "SELECT count(*) FROM escalated"};
