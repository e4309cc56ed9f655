/* The unit test suites of domain/ and the JWT verifier, gathered by main.c. */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H

#include <check.h>

Suite *dates_suite(void);
Suite *schema_suite(void);
Suite *records_suite(void);
Suite *access_suite(void);
Suite *placements_suite(void);
Suite *merge_patch_suite(void);
Suite *auth_suite(void);
Suite *calendar_suite(void);
Suite *actions_suite(void);
Suite *matching_suite(void);
Suite *family_finding_suite(void);
Suite *panels_suite(void);
Suite *hearing_suite(void);
Suite *letters_suite(void);
Suite *token_cache_suite(void);
Suite *utf8_suite(void);
Suite *meetings_suite(void);
Suite *endings_suite(void);
Suite *duties_suite(void);
Suite *carer_submissions_suite(void);
Suite *webhooks_suite(void);
Suite *reports_suite(void);
Suite *ssda903_suite(void);
Suite *rate_limit_suite(void);

#endif
