#include "utf8.h"

#include <stdbool.h>

static bool continuation(unsigned char c) {
  return c >= 0x80 && c <= 0xBF;
}

size_t utf8_sequence_length(const unsigned char *s) {
  unsigned char c = s[0];
  if (c < 0x80) {
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    return continuation(s[1]) ? 2 : 0;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned char low = c == 0xE0 ? 0xA0 : 0x80; /* no overlong forms */
    unsigned char high = c == 0xED ? 0x9F : 0xBF; /* no surrogates */
    return s[1] >= low && s[1] <= high && continuation(s[2]) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned char low = c == 0xF0 ? 0x90 : 0x80;  /* no overlong forms */
    unsigned char high = c == 0xF4 ? 0x8F : 0xBF; /* nothing above U+10FFFF */
    return s[1] >= low && s[1] <= high && continuation(s[2]) && continuation(s[3]) ? 4 : 0;
  }
  return 0;
}
