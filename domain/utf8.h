/* UTF-8 as PostgreSQL accepts it (no overlong forms, no surrogates, nothing above U+10FFFF):
 * outside input such as a URL path may hold anything, and one invalid byte would make the
 * database refuse a whole batch of audit rows. */
#ifndef DOMAIN_UTF8_H
#define DOMAIN_UTF8_H

#include <stddef.h>

/* The length (1-4) of the valid UTF-8 sequence starting at `s` (which is NUL-terminated), or 0
 * when the bytes there are not one. */
size_t utf8_sequence_length(const unsigned char *s);

#endif
