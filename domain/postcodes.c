#include "postcodes.h"

#include <ctype.h>
#include <string.h>

/* Copies `s` without its spaces, upper-cased, into `compact` (`size` bytes). False when `s`
 * holds anything but letters, digits and spaces, or does not fit. */
static bool compact_copy(const char *s, char *compact, size_t size) {
  size_t n = 0;
  for (; *s != '\0'; s++) {
    if (*s == ' ') {
      continue;
    }
    if (n == size - 1 || !isalnum((unsigned char)*s)) {
      return false;
    }
    compact[n++] = (char)toupper((unsigned char)*s);
  }
  compact[n] = '\0';
  return true;
}

bool postcode_is_full(const char *s) {
  char compact[9];
  if (s == NULL || !compact_copy(s, compact, sizeof compact)) {
    return false;
  }
  size_t n = strlen(compact);
  if (n < 5 || n > 7 || !isalpha((unsigned char)compact[0])) {
    return false;
  }
  const char *inward = compact + n - 3;
  return isdigit((unsigned char)inward[0]) && isalpha((unsigned char)inward[1]) &&
         isalpha((unsigned char)inward[2]);
}

/* An outward code alone: one or two letters, a digit, then at most one letter or digit. */
static bool is_outward_code(const char *code) {
  size_t letters = 0;
  while (isalpha((unsigned char)code[letters])) {
    letters++;
  }
  size_t n = strlen(code);
  return letters >= 1 && letters <= 2 && isdigit((unsigned char)code[letters]) &&
         n <= letters + 2;
}

bool postcode_district(const char *s, char district[POSTCODE_DISTRICT_SIZE]) {
  char compact[9];
  if (s == NULL || !compact_copy(s, compact, sizeof compact)) {
    return false;
  }
  size_t n = strlen(compact);
  if (postcode_is_full(s)) {
    n -= 3; /* the inward code */
  } else if (!is_outward_code(compact)) {
    return false;
  }
  if (n >= POSTCODE_DISTRICT_SIZE) {
    return false;
  }
  memcpy(district, compact, n);
  district[n] = '\0';
  return true;
}

void postcode_area(const char *district, char area[POSTCODE_AREA_SIZE]) {
  size_t n = 0;
  while (n < POSTCODE_AREA_SIZE - 1 && isalpha((unsigned char)district[n])) {
    area[n] = district[n];
    n++;
  }
  area[n] = '\0';
}
