/* The soft factors of family finding (family_finding.h), each a rank (0 the best) and the
 * evidence behind it in words a social worker can read at panel. Internal to the domain. */
#ifndef DOMAIN_FAMILY_FINDING_FACTORS_H
#define DOMAIN_FAMILY_FINDING_FACTORS_H

#include <jansson.h>
#include <stddef.h>

#include "family_finding.h"

/* Evidence as it is written: a bounded text, cut short (never overrun) when it grows past it. */
struct ff_text {
  char buf[2048];
  size_t used;
};

/* Appends printf-style text to `text` (nothing when `text` is NULL: the rank alone is wanted). */
void ff_text_add(struct ff_text *text, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* The rank of `carer` (a register entry, family_finding.h) on `factor` for `children` (the
 * children searched for), with its evidence appended to `evidence` (NULL: none written). */
int ff_factor_rank(enum ff_factor factor, const json_t *children, const json_t *carer,
                   struct ff_text *evidence);

#endif
