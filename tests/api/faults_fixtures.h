/*
 * faults_fixtures.h - what the fault tests (test_faults.c, test_faults_twins.c) share: the author
 * of a load of children, and the checks of what a load leaves in the database.
 */
#ifndef API_TEST_FAULTS_FIXTURES_H
#define API_TEST_FAULTS_FIXTURES_H

#include "fixtures.h"
#include "load.h"

#include <check.h>

#define FAULTS_WAIT_SECONDS 60 /* the generous bound of every wait but the 2 s recovery */

/* The pause between two looks of a bounded wait (20 ms). */
void faults_pause(void);

/* Creates a csw of a fresh team, who creates a load's children, and writes a child's JSON text
 * into *body (the caller frees it). */
void faults_author(fx_person *csw, char **body);

/*
 * Every write the load's clients were told succeeded (201) is in the database whole, once; and
 * nothing `author` created is there half-written, nor an event or audit row without its record.
 */
void faults_expect_writes_whole(const load *l, const char *author);

/* A client's pace under load: a pause after every answer, so that a 20 s load leaves a few
 * thousand records rather than tens of thousands for the suites that run after it. */
#define FAULTS_PACE_MS 25

/* The plan of a load of `threads` clients creating children with `body` on `base` as `token`
 * (and reading each back), FAULTS_PACE_MS apart, for FAULTS_WAIT_SECONDS at most. */
load_plan faults_plan(const char *base, const char *token, const char *body, int threads);

/* Fails when the load saw a 5xx or no answer at all. */
void faults_expect_load_served(const load *l);

/* The two-instance tests of the faults suite (test_faults_twins.c). */
TCase *faults_twins_tcase(void);

#endif
