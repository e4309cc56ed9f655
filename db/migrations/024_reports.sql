-- Reports (E1, U3, P6, compliance): indexes for their set-based statements (db/reports.c).

-- U3: a month's unplanned endings.
CREATE INDEX placements_unplanned_end ON placements (end_date) WHERE unplanned;
-- U1 in the breakdowns and P6: the unplanned-ending meeting of a placement.
CREATE INDEX meetings_placement ON meetings (placement_id, type) WHERE placement_id IS NOT NULL;
-- Compliance: the rule actions due in a period.
CREATE INDEX actions_rule_due ON actions (due_at) WHERE source_rule IS NOT NULL;
