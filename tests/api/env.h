/*
 * env.h - the test environment: variables the runner sets and files they name.
 */
#ifndef API_TEST_ENV_H
#define API_TEST_ENV_H

#include <stddef.h>

/*
 * Returns the value of the environment variable `name`. When it is unset or empty the current
 * test fails (ck_abort), so a caller never sees NULL. The string belongs to the environment.
 */
const char *env_require(const char *name);

/*
 * Reads the whole file at `path` into a new NUL-terminated buffer and stores its length (without
 * the NUL) in *len. Fails the current test when the file cannot be read. The caller frees.
 */
char *env_read_file(const char *path, size_t *len);

#endif
