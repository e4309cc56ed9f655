/*
 * env.c - reading the variables and files the test runner provides.
 */
#include "env.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

const char *env_require(const char *name)
{
    const char *value = getenv(name);

    ck_assert_msg(value != NULL && value[0] != '\0', "environment variable %s is not set", name);
    return value;
}

char *env_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t used = 0;
    size_t cap = 4096;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    buf = malloc(cap);
    ck_assert_msg(buf != NULL, "out of memory");
    for (;;) {
        size_t n = fread(buf + used, 1, cap - used - 1, f);
        used += n;
        if (n == 0)
            break;
        if (cap - used - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            ck_assert_msg(bigger != NULL, "out of memory");
            buf = bigger;
            cap *= 2;
        }
    }
    ck_assert_msg(!ferror(f), "cannot read %s", path);
    fclose(f);
    buf[used] = '\0';
    *len = used;
    return buf;
}
