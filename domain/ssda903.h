/* SSDA903 (DfE children looked after return) files, POLICY.md section E: reading header.csv and
 * episodes.csv (RFC 4180, through libcsv) and checking every row before anything is imported.
 * Pure: text in, rows and errors out; no clock (today is a parameter). */
#ifndef DOMAIN_SSDA903_H
#define DOMAIN_SSDA903_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "dates.h"

enum { SSDA903_HEADER_COLUMNS = 7, SSDA903_EPISODE_COLUMNS = 13 };

/* Column order as the DfE return defines it. */
extern const char *const SSDA903_HEADER_NAMES[SSDA903_HEADER_COLUMNS];
extern const char *const SSDA903_EPISODE_NAMES[SSDA903_EPISODE_COLUMNS];

enum { H_CHILD, H_SEX, H_DOB, H_ETHNIC, H_UPN, H_MOTHER, H_MC_DOB };
enum { E_CHILD, E_DECOM, E_RNE, E_LS, E_CIN, E_PLACE, E_PLACE_PROVIDER, E_DEC, E_REC,
       E_REASON_PLACE_CHANGE, E_HOME_POST, E_PL_POST, E_URN };

/* One data row: its physical line in the file (the header row is line 1) and its cells, in the
 * DfE column order whatever the file's order ("" for an empty cell). */
struct ssda903_row {
  size_t line;
  char **cells;
};

/* A parsed file. Owns its rows and cells: free with ssda903_table_free. */
struct ssda903_table {
  const char *file;  /* "header.csv" or "episodes.csv" (static) */
  size_t columns;
  struct ssda903_row *rows;
  size_t count;
};

/* Parses `text` (`length` bytes; a UTF-8 BOM, CRLF or LF, quoted fields) as the SSDA903 file
 * `file` whose columns are `names` (`columns` of them, any order in the file, each once; unknown
 * columns are errors). Fills *table (the caller frees it, also after a failure) and appends
 * {file, line, column, reason} to `errors` for malformed CSV, missing or unknown columns and rows
 * of the wrong width. Returns true when the file could be read into rows. */
bool ssda903_parse(const char *text, size_t length, const char *file, const char *const *names,
                   size_t columns, struct ssda903_table *table, json_t *errors);

void ssda903_table_free(struct ssda903_table *table);

/* A dd/mm/yyyy date that exists. */
bool ssda903_date(const char *text, struct date *out);

/* The checks of one file's rows and of the two files together: codes per section E and the DfE
 * lists, real dates not after `today`, DECOM <= DEC, DOB <= DECOM, a child once in the header,
 * each episode's CHILD in the header, a child's episodes neither repeated nor overlapping (at most
 * one open). Appends {file, line, column, reason} to `errors`, and to `warnings` the values that
 * are ignored (REC or REASON_PLACE_CHANGE on an episode that has not ceased). Returns true when
 * no error was found. */
bool ssda903_check(const struct ssda903_table *header, const struct ssda903_table *episodes,
                   struct date today, json_t *errors, json_t *warnings);

/* The service's sex for a header SEX code (1, 2, M, F, U), or NULL. */
const char *ssda903_sex(const char *code);

/* The SEX code the service writes back for `sex` ("1" male, "2" female, "" otherwise). */
const char *ssda903_sex_code(const char *sex);

/* Appends {file, line, column, reason} to `errors` (column may be NULL). */
void ssda903_error(json_t *errors, const char *file, size_t line, const char *column,
                   const char *reason);

#endif
