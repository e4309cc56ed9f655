-- Issue 4: a list read's audit row names the ids it showed (about 2 kB for a page of 50), which
-- PostgreSQL compresses on insert; lz4 does that at a fraction of pglz's cost. Rows already
-- written keep their compression.
ALTER TABLE audit_log ALTER COLUMN changes SET COMPRESSION lz4;
