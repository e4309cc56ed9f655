/*
 * suites.h - one constructor per test file; main.c runs them in this order, and the suite that
 * stops the database (readyz_down_suite) always last.
 */
#ifndef API_TEST_SUITES_H
#define API_TEST_SUITES_H

#include <check.h>

/* Default per-test time limit (seconds); generous because the suite may run under ASan. */
#define TEST_TIMEOUT_SECONDS 60.0

Suite *http_suite(void);
Suite *auth_suite(void);
Suite *people_suite(void);
Suite *children_suite(void);
Suite *pagination_suite(void);
Suite *access_suite(void);
Suite *carers_suite(void);
Suite *placements_suite(void);
Suite *audit_suite(void);
Suite *settings_suite(void);
Suite *calendar_api_suite(void);
Suite *actions_suite(void);
Suite *action_lists_suite(void);
Suite *sweep_reassign_suite(void);
Suite *sweep_suite(void);
Suite *two_instances_suite(void);
Suite *documents_suite(void);
Suite *matches_suite(void);
Suite *family_finding_suite(void);
Suite *panels_suite(void);
Suite *submission_suite(void);
Suite *panel_hearing_suite(void);
Suite *meetings_suite(void);
Suite *stability_suite(void);
Suite *endings_suite(void);
Suite *duties_suite(void);
Suite *meeting_edges_suite(void);
Suite *placement_sync_suite(void);
Suite *carer_submissions_suite(void);
Suite *webhooks_suite(void);
Suite *integration_suite(void);
Suite *sync_suite(void);
Suite *ssda903_suite(void);
Suite *reports_suite(void);
Suite *hardening_suite(void);
Suite *limits_suite(void);
Suite *access_table_suite(void);
Suite *faults_suite(void);
Suite *readyz_down_suite(void);

#endif
