-- Issue 4: a page of an owner's open actions is ordered by (due_at, id). With the id in the
-- index the page is read in its own order and stops at its last row, instead of reading and
-- sorting every action that shares a due time with it.
CREATE INDEX actions_owner_open_page ON actions (owner_id, due_at, id) WHERE status = 'open';
DROP INDEX actions_owner_open;
