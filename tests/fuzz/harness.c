#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void harness_expect(bool holds, const char *what) {
  if (!holds) {
    fprintf(stderr, "fuzz: property broken: %s\n", what);
    abort();
  }
}

char *harness_text(const uint8_t *data, size_t size) {
  size_t length = size > 0 ? strnlen((const char *)data, size) : 0;
  char *text = malloc(length + 1);
  harness_expect(text != NULL, "out of memory");
  if (length > 0) {
    memcpy(text, data, length);
  }
  text[length] = '\0';
  return text;
}
