/* Runs every unit suite; appends "passed failed" to $PERMANENCE_TEST_RESULT_FILE when set. */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

int main(void) {
  SRunner *runner = srunner_create(dates_suite());
  srunner_add_suite(runner, schema_suite());
  srunner_add_suite(runner, records_suite());
  srunner_add_suite(runner, access_suite());
  srunner_add_suite(runner, placements_suite());
  srunner_add_suite(runner, merge_patch_suite());
  srunner_add_suite(runner, auth_suite());
  srunner_add_suite(runner, calendar_suite());
  srunner_add_suite(runner, actions_suite());
  srunner_add_suite(runner, matching_suite());
  srunner_add_suite(runner, family_finding_suite());
  srunner_add_suite(runner, panels_suite());
  srunner_add_suite(runner, hearing_suite());
  srunner_add_suite(runner, letters_suite());
  srunner_add_suite(runner, token_cache_suite());
  srunner_add_suite(runner, utf8_suite());
  srunner_add_suite(runner, meetings_suite());
  srunner_add_suite(runner, endings_suite());
  srunner_add_suite(runner, duties_suite());
  srunner_add_suite(runner, carer_submissions_suite());
  srunner_add_suite(runner, webhooks_suite());
  srunner_add_suite(runner, reports_suite());
  srunner_add_suite(runner, ssda903_suite());
  srunner_add_suite(runner, rate_limit_suite());
  srunner_run_all(runner, CK_NORMAL);
  int run = srunner_ntests_run(runner);
  int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  const char *result_file = getenv("PERMANENCE_TEST_RESULT_FILE");
  FILE *out = result_file != NULL ? fopen(result_file, "a") : NULL;
  if (out != NULL) {
    fprintf(out, "%d %d\n", run - failed, failed);
    fclose(out);
  }
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
