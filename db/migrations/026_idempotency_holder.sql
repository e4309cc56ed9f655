-- Idempotency-Key (issue 7, a fault found in issue 9): whether the first request's work was
-- committed. The request working under a key holds a session advisory lock on it (db/idempotency.c)
-- and marks the key in the same transaction as its work. A retry that finds the lock free and the
-- key neither answered nor committed knows the first request died before saving anything (its
-- connection lost with the database, or the service killed) and does the work itself; a key
-- committed but not answered stays "outcome unknown" (409).
ALTER TABLE idempotency_keys ADD COLUMN work_committed boolean NOT NULL DEFAULT false;
