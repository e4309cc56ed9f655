/* UK postcodes as the family-finding search uses them: no external data, only the postcode's
 * own structure. "SN2 1AA" has the outward code (postcode district) "SN2" and the postcode area
 * "SN" (its leading letters). */
#ifndef DOMAIN_POSTCODES_H
#define DOMAIN_POSTCODES_H

#include <stdbool.h>
#include <stddef.h>

/* The longest outward code ("EC1A") and the longest area ("EC"), with their terminators. */
#define POSTCODE_DISTRICT_SIZE 5
#define POSTCODE_AREA_SIZE 3

/* Whether `s` is a full UK postcode: an outward code (a letter, then 1-3 letters or digits) and
 * an inward code (a digit, two letters), spaces anywhere ignored. */
bool postcode_is_full(const char *s);

/* Writes into `district` the upper-case outward code of `s`, a full postcode ("sn2 1aa") or an
 * outward code alone ("SN2"). Returns false (district unspecified) when `s` is neither. */
bool postcode_district(const char *s, char district[POSTCODE_DISTRICT_SIZE]);

/* Writes into `area` the postcode area (the leading letters) of the outward code `district`. */
void postcode_area(const char *district, char area[POSTCODE_AREA_SIZE]);

#endif
