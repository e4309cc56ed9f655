/* domain/ssda903.h, reading: an SSDA903 file's text into rows through libcsv (RFC 4180), each
 * row keeping its physical line for the errors. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssda903.h"

struct parse_state {
  const char *const *names;
  size_t columns;
  size_t line;         /* the physical line being fed */
  size_t record_line;  /* the line the current record started on */
  char **fields;
  size_t nfields;
  size_t capacity;
  bool header_done;
  bool header_bad;
  int map[SSDA903_EPISODE_COLUMNS * 2]; /* file column -> DfE column */
  size_t file_columns;
  struct ssda903_table *table;
  json_t *errors;
};

static void on_field(void *s, size_t len, void *data) {
  struct parse_state *st = data;
  if (st->nfields == 0) {
    st->record_line = st->line;
  }
  if (st->nfields == st->capacity) {
    size_t capacity = st->capacity == 0 ? 16 : st->capacity * 2;
    char **grown = realloc(st->fields, capacity * sizeof *grown);
    if (grown == NULL) {
      return;
    }
    st->fields = grown;
    st->capacity = capacity;
  }
  char *copy = malloc(len + 1);
  if (copy == NULL) {
    return;
  }
  if (len > 0) {
    memcpy(copy, s, len);
  }
  copy[len] = '\0';
  st->fields[st->nfields++] = copy;
}

static void free_fields(struct parse_state *st) {
  for (size_t i = 0; i < st->nfields; i++) {
    free(st->fields[i]);
  }
  st->nfields = 0;
}

/* The header row: every DfE column once, nothing else. */
static void read_column_names(struct parse_state *st) {
  const char *file = st->table->file;
  bool seen[SSDA903_EPISODE_COLUMNS] = {false};
  st->file_columns = st->nfields;
  if (st->nfields > sizeof st->map / sizeof st->map[0]) {
    ssda903_error(st->errors, file, st->record_line, NULL, "has too many columns");
    st->header_bad = true;
    return;
  }
  for (size_t i = 0; i < st->nfields; i++) {
    st->map[i] = -1;
    for (size_t c = 0; c < st->columns; c++) {
      if (strcmp(st->fields[i], st->names[c]) == 0) {
        st->map[i] = (int)c;
      }
    }
    if (st->map[i] < 0) {
      ssda903_error(st->errors, file, st->record_line, st->fields[i], "is not a column of this file");
      st->header_bad = true;
    } else if (seen[st->map[i]]) {
      ssda903_error(st->errors, file, st->record_line, st->fields[i], "is named twice");
      st->header_bad = true;
    } else {
      seen[st->map[i]] = true;
    }
  }
  for (size_t c = 0; c < st->columns; c++) {
    if (!seen[c]) {
      ssda903_error(st->errors, file, st->record_line, st->names[c], "column is missing");
      st->header_bad = true;
    }
  }
}

static void on_record(int c, void *data) {
  (void)c;
  struct parse_state *st = data;
  if (!st->header_done) {
    st->header_done = true;
    read_column_names(st);
  } else if (!st->header_bad && st->nfields != st->file_columns) {
    char reason[80];
    snprintf(reason, sizeof reason, "has %zu fields, the header row has %zu", st->nfields,
             st->file_columns);
    ssda903_error(st->errors, st->table->file, st->record_line, NULL, reason);
  } else if (!st->header_bad) {
    struct ssda903_table *t = st->table;
    struct ssda903_row *rows = realloc(t->rows, (t->count + 1) * sizeof *rows);
    char **cells = calloc(st->columns, sizeof *cells);
    if (rows == NULL || cells == NULL) {
      free(cells);
      if (rows != NULL) {
        t->rows = rows;
      }
      free_fields(st);
      return;
    }
    t->rows = rows;
    for (size_t i = 0; i < st->nfields; i++) {
      cells[st->map[i]] = st->fields[i];
      st->fields[i] = NULL;
    }
    t->rows[t->count++] = (struct ssda903_row){st->record_line, cells};
  }
  free_fields(st);
}

/* The length of the physical line at `s` (`n` bytes left) with its end: LF, CRLF or a lone CR,
 * each of which libcsv takes as the end of a record. */
static size_t line_length(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\n') {
      return i + 1;
    }
    if (s[i] == '\r') {
      return i + 1 < n && s[i + 1] == '\n' ? i + 2 : i + 1;
    }
  }
  return n;
}

bool ssda903_parse(const char *text, size_t length, const char *file, const char *const *names,
                   size_t columns, struct ssda903_table *table, json_t *errors) {
  *table = (struct ssda903_table){.file = file, .columns = columns};
  struct parse_state st = {.names = names, .columns = columns, .line = 1, .table = table,
                           .errors = errors};
  size_t before = json_array_size(errors);
  struct csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return false;
  }
  size_t at = 0;
  if (length >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
    at = 3;
  }
  bool ok = true;
  while (at < length && ok) {
    size_t chunk = line_length(text + at, length - at);
    if (csv_parse(&p, text + at, chunk, on_field, on_record, &st) != chunk) {
      ssda903_error(errors, file, st.line, NULL, csv_strerror(csv_error(&p)));
      ok = false;
    }
    at += chunk;
    st.line++;
  }
  if (ok && csv_fini(&p, on_field, on_record, &st) != 0) {
    ssda903_error(errors, file, st.line > 1 ? st.line - 1 : 1, NULL, csv_strerror(csv_error(&p)));
    ok = false;
  }
  csv_free(&p);
  free_fields(&st);
  free(st.fields);
  if (ok && !st.header_done) {
    ssda903_error(errors, file, 1, NULL, "has no header row");
  }
  return json_array_size(errors) == before;
}

void ssda903_table_free(struct ssda903_table *table) {
  for (size_t i = 0; i < table->count; i++) {
    for (size_t c = 0; c < table->columns; c++) {
      free(table->rows[i].cells[c]);
    }
    free(table->rows[i].cells);
  }
  free(table->rows);
  table->rows = NULL;
  table->count = 0;
}

