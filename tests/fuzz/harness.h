/* What the fuzz harnesses share: the libFuzzer entry point each defines, and a check that stops
 * the run when a property that must hold for every input does not. */
#ifndef TESTS_FUZZ_HARNESS_H
#define TESTS_FUZZ_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Runs one input. libFuzzer calls it for each input it makes; tests/fuzz/replay.c for each file
 * of the corpus and the regressions. Returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts (a finding) with `what` on stderr unless `holds`. */
void harness_expect(bool holds, const char *what);

/* The input as a NUL-terminated string (the bytes up to the first NUL): the caller frees it. */
char *harness_text(const uint8_t *data, size_t size);

#endif
