/* Fuzz target ssda903: reading an SSDA903 return (domain/ssda903_csv.c through libcsv) and
 * checking its rows (domain/ssda903.c), as POST /v1/ssda903/imports does with the body's two
 * texts. The input is header.csv, a NUL byte, then episodes.csv (no NUL: header.csv only, and
 * an empty episodes.csv). Both texts come from JSON strings, so an input whose parts are not
 * UTF-8 is one the service never reads (the body parser refuses it) and is skipped.
 * Properties: a file read without error has rows of its columns, every cell a string, each on
 * a line after the header row; every problem names its file, line and reason. */
#include <string.h>

#include "../../domain/ssda903.h"
#include "harness.h"

static const struct date TODAY = {2026, 1, 15};

/* Whether the `length` bytes at `text` could be a JSON string's value. */
static bool json_string_text(const char *text, size_t length) {
  json_t *string = json_stringn(text, length);
  json_decref(string);
  return string != NULL;
}

/* Every row has its columns' cells and a line after the header row's. */
static void expect_rows(const struct ssda903_table *table, size_t columns) {
  harness_expect(table->columns == columns, "a table has its file's columns");
  for (size_t i = 0; i < table->count; i++) {
    harness_expect(table->rows[i].line >= 2, "a data row follows the header row");
    for (size_t c = 0; c < columns; c++) {
      harness_expect(table->rows[i].cells[c] != NULL, "every cell is a string");
    }
  }
}

static void expect_problems_well_formed(const json_t *problems) {
  size_t i;
  const json_t *problem;
  json_array_foreach(problems, i, problem) {
    harness_expect(json_is_string(json_object_get(problem, "file")) &&
                       json_integer_value(json_object_get(problem, "line")) >= 1 &&
                       json_is_string(json_object_get(problem, "reason")),
                   "a problem names its file, line and reason");
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  const char *split = size > 0 ? memchr(text, '\0', size) : NULL;
  size_t header_length = split != NULL ? (size_t)(split - text) : size;
  const char *episodes_text = split != NULL ? split + 1 : "";
  size_t episodes_length = split != NULL ? size - header_length - 1 : 0;
  if (!json_string_text(text, header_length) ||
      !json_string_text(episodes_text, episodes_length)) {
    return 0;
  }
  json_t *errors = json_array();
  json_t *warnings = json_array();
  struct ssda903_table header;
  struct ssda903_table episodes;
  bool parsed = ssda903_parse(text, header_length, "header.csv", SSDA903_HEADER_NAMES,
                              SSDA903_HEADER_COLUMNS, &header, errors);
  parsed = ssda903_parse(episodes_text, episodes_length, "episodes.csv", SSDA903_EPISODE_NAMES,
                         SSDA903_EPISODE_COLUMNS, &episodes, errors) && parsed;
  harness_expect(parsed == (json_array_size(errors) == 0), "read exactly when no error");
  if (parsed) {
    expect_rows(&header, SSDA903_HEADER_COLUMNS);
    expect_rows(&episodes, SSDA903_EPISODE_COLUMNS);
    harness_expect(ssda903_check(&header, &episodes, TODAY, errors, warnings) ==
                       (json_array_size(errors) == 0),
                   "the check passes exactly when it found no error");
    for (size_t i = 0; i < header.count; i++) {
      ssda903_sex(header.rows[i].cells[H_SEX]);
    }
  }
  expect_problems_well_formed(errors);
  expect_problems_well_formed(warnings);
  ssda903_table_free(&episodes);
  ssda903_table_free(&header);
  json_decref(warnings);
  json_decref(errors);
  return 0;
}
