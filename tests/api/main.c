/*
 * main.c - runs every API suite against the server named by PERMANENCE_TEST_URL, appends
 * "<passed> <failed>" to PERMANENCE_TEST_RESULT_FILE, and exits non-zero when a test failed.
 */
#include "suites.h"

#include <check.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>

/* Appends "<passed> <failed>\n" to the file the runner named, if it named one. */
static void write_result_file(int passed, int failed)
{
    const char *path = getenv("PERMANENCE_TEST_RESULT_FILE");
    FILE *f;

    if (path == NULL || path[0] == '\0')
        return;
    f = fopen(path, "a");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return;
    }
    fprintf(f, "%d %d\n", passed, failed);
    fclose(f);
}

int main(void)
{
    SRunner *runner;
    int run;
    int failed;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "curl_global_init failed\n");
        return EXIT_FAILURE;
    }
    runner = srunner_create(http_suite());
    srunner_add_suite(runner, auth_suite());
    srunner_add_suite(runner, people_suite());
    srunner_add_suite(runner, children_suite());
    srunner_add_suite(runner, pagination_suite());
    srunner_add_suite(runner, access_suite());
    srunner_add_suite(runner, carers_suite());
    srunner_add_suite(runner, placements_suite());
    srunner_add_suite(runner, audit_suite());
    srunner_add_suite(runner, settings_suite());
    srunner_add_suite(runner, calendar_api_suite());
    srunner_add_suite(runner, actions_suite());
    srunner_add_suite(runner, action_lists_suite());
    srunner_add_suite(runner, sweep_reassign_suite());
    srunner_add_suite(runner, sweep_suite());
    srunner_add_suite(runner, two_instances_suite());
    srunner_add_suite(runner, documents_suite());
    srunner_add_suite(runner, matches_suite());
    srunner_add_suite(runner, family_finding_suite());
    srunner_add_suite(runner, panels_suite());
    srunner_add_suite(runner, submission_suite());
    srunner_add_suite(runner, panel_hearing_suite());
    srunner_add_suite(runner, meetings_suite());
    srunner_add_suite(runner, stability_suite());
    srunner_add_suite(runner, endings_suite());
    srunner_add_suite(runner, duties_suite());
    srunner_add_suite(runner, meeting_edges_suite());
    srunner_add_suite(runner, placement_sync_suite());
    srunner_add_suite(runner, carer_submissions_suite());
    srunner_add_suite(runner, webhooks_suite());
    srunner_add_suite(runner, integration_suite());
    srunner_add_suite(runner, sync_suite());
    srunner_add_suite(runner, ssda903_suite());
    srunner_add_suite(runner, reports_suite());
    srunner_add_suite(runner, hardening_suite());
    srunner_add_suite(runner, limits_suite());
    srunner_add_suite(runner, access_table_suite());
    srunner_add_suite(runner, faults_suite()); /* restarts the database */
    srunner_add_suite(runner, readyz_down_suite()); /* stops the database: keep it last */

    srunner_run_all(runner, CK_ENV);
    run = srunner_ntests_run(runner);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    curl_global_cleanup();

    printf("%d passed, %d failed\n", run - failed, failed);
    write_result_file(run - failed, failed);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
