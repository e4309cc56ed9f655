#include "ssda903.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "placements.h"
#include "schema.h"

const char *const SSDA903_HEADER_NAMES[SSDA903_HEADER_COLUMNS] = {
    "CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"};
const char *const SSDA903_EPISODE_NAMES[SSDA903_EPISODE_COLUMNS] = {
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"};

/* The DfE code lists (section E and the 903 guidance; the samples use every one of these). */
static const char *const SEX_CODES[] = {"1", "2", "M", "F", "U", NULL};
static const char *const ETHNIC_CODES[] = {"WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA",
                                           "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB",
                                           "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT", NULL};
static const char *const RNE_CODES[] = {"S", "L", "P", "T", "B", "U", NULL};
static const char *const LS_CODES[] = {"C1", "C2", "D1", "E1", "J1", "J2", "J3",
                                       "L1", "L2", "L3", "V2", "V3", "V4", NULL};
static const char *const CIN_CODES[] = {"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", NULL};
static const char *const PROVIDER_CODES[] = {"PR0", "PR1", "PR2", "PR3", "PR4", "PR5", NULL};
static const char *const REC_CODES[] = {"E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2",
                                        "E3",  "E4A", "E4B", "E41", "E45", "E46", "E47", "E48",
                                        "E5",  "E6",  "E7",  "E8",  "E9",  "X1",  NULL};

void ssda903_error(json_t *errors, const char *file, size_t line, const char *column,
                   const char *reason) {
  json_array_append_new(errors, json_pack("{s:s, s:I, s:s?, s:s}", "file", file, "line",
                                          (json_int_t)line, "column", column, "reason", reason));
}

/* ---- Checking the rows ---- */

bool ssda903_date(const char *text, struct date *out) {
  if (text == NULL || strlen(text) != 10 || text[2] != '/' || text[5] != '/') {
    return false;
  }
  for (int i = 0; i < 10; i++) {
    if (i != 2 && i != 5 && !isdigit((unsigned char)text[i])) {
      return false;
    }
  }
  struct date d = {atoi(text + 6), atoi(text + 3), atoi(text)};
  if (d.year < 1900 || d.month < 1 || d.month > 12 || d.day < 1 ||
      d.day > date_days_in_month(d.year, d.month)) {
    return false;
  }
  *out = d;
  return true;
}

const char *ssda903_sex(const char *code) {
  if (code == NULL) {
    return NULL;
  }
  if (strcmp(code, "1") == 0 || strcmp(code, "M") == 0) {
    return "male";
  }
  if (strcmp(code, "2") == 0 || strcmp(code, "F") == 0) {
    return "female";
  }
  return strcmp(code, "U") == 0 ? "unknown" : NULL;
}

const char *ssda903_sex_code(const char *sex) {
  if (sex != NULL && strcmp(sex, "male") == 0) {
    return "1";
  }
  return sex != NULL && strcmp(sex, "female") == 0 ? "2" : "";
}

static bool matches(const char *s, size_t min, size_t max, const char *allowed_punct) {
  size_t n = strlen(s);
  if (n < min || n > max) {
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    if (!isalnum((unsigned char)s[i]) && strchr(allowed_punct, s[i]) == NULL) {
      return false;
    }
  }
  return true;
}

struct checker {
  const char *file;
  const char *const *names;
  const struct ssda903_row *row;
  json_t *errors;
};

static void fail(const struct checker *k, int column, const char *reason) {
  ssda903_error(k->errors, k->file, k->row->line, k->names[column], reason);
}

static const char *cell(const struct checker *k, int column) {
  return k->row->cells[column];
}

/* A coded cell: required or not, one of `codes`. */
static void code(const struct checker *k, int column, const char *const *codes, bool required,
                 const char *what) {
  const char *v = cell(k, column);
  if (v[0] == '\0') {
    if (required) {
      fail(k, column, "is required");
    }
  } else if (!schema_is_choice(codes, v)) {
    char reason[160];
    snprintf(reason, sizeof reason, "'%.12s' is not %s", v, what);
    fail(k, column, reason);
  }
}

/* A dd/mm/yyyy cell: filled when required, a real date, not after today. *set says whether it
 * holds one. */
static void date_cell(const struct checker *k, int column, bool required, struct date today,
                      struct date *out, bool *set) {
  const char *v = cell(k, column);
  *set = false;
  if (v[0] == '\0') {
    if (required) {
      fail(k, column, "is required");
    }
  } else if (!ssda903_date(v, out)) {
    fail(k, column, "must be a real date as dd/mm/yyyy");
  } else if (date_compare(*out, today) > 0) {
    fail(k, column, "must not be in the future");
  } else {
    *set = true;
  }
}

static bool child_id_valid(const char *v) {
  return matches(v, 1, 10, "");
}

static bool upn_valid(const char *v) {
  if (strncmp(v, "UN", 2) == 0) {
    int n = atoi(v + 2);
    return matches(v, 3, 4, "") && n >= 1 && n <= 10;
  }
  if (strlen(v) != 13 || !isupper((unsigned char)v[0]) || !isalnum((unsigned char)v[12])) {
    return false;
  }
  for (int i = 1; i < 12; i++) {
    if (!isdigit((unsigned char)v[i])) {
      return false;
    }
  }
  return true;
}

struct keyed {
  const char *child;
  struct date start;
  bool open;
  struct date end;
  size_t row;
};

static int by_child_then_start(const void *a, const void *b) {
  const struct keyed *x = a;
  const struct keyed *y = b;
  int c = strcmp(x->child, y->child);
  return c != 0 ? c : date_compare(x->start, y->start);
}

static struct keyed *find_child(struct keyed *sorted, size_t n, const char *child) {
  struct keyed key = {.child = child};
  size_t lo = 0;
  size_t hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(sorted[mid].child, key.child);
    if (c == 0) {
      return &sorted[mid];
    }
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return NULL;
}

/* The header rows; fills born[] (one per row, sorted by CHILD) for the episodes' checks. */
static void check_header(const struct ssda903_table *t, struct date today, struct keyed *born,
                         json_t *errors) {
  struct checker k = {t->file, SSDA903_HEADER_NAMES, NULL, errors};
  for (size_t i = 0; i < t->count; i++) {
    k.row = &t->rows[i];
    struct date d = {0, 0, 0};
    bool set;
    if (cell(&k, H_CHILD)[0] == '\0') {
      fail(&k, H_CHILD, "is required");
    } else if (!child_id_valid(cell(&k, H_CHILD))) {
      fail(&k, H_CHILD, "must be 1 to 10 letters or digits");
    }
    code(&k, H_SEX, SEX_CODES, true, "a SEX code (1, 2, M, F, U)");
    date_cell(&k, H_DOB, true, today, &d, &set);
    code(&k, H_ETHNIC, ETHNIC_CODES, true, "a DfE ethnicity code");
    if (cell(&k, H_UPN)[0] != '\0' && !upn_valid(cell(&k, H_UPN))) {
      fail(&k, H_UPN, "must be a unique pupil number (a letter, 11 digits, a letter or digit) or UN1-UN10");
    }
    const char *mother = cell(&k, H_MOTHER);
    if (mother[0] != '\0' && strcmp(mother, "0") != 0 && strcmp(mother, "1") != 0) {
      fail(&k, H_MOTHER, "must be 0, 1 or empty");
    }
    struct date mc;
    bool mc_set;
    date_cell(&k, H_MC_DOB, false, today, &mc, &mc_set);
    born[i] = (struct keyed){.child = cell(&k, H_CHILD), .start = d, .open = !set, .row = i};
  }
  qsort(born, t->count, sizeof *born, by_child_then_start);
  for (size_t i = 1; i < t->count; i++) {
    if (born[i].child[0] != '\0' && strcmp(born[i].child, born[i - 1].child) == 0) {
      size_t first = born[i - 1].row < born[i].row ? born[i - 1].row : born[i].row;
      size_t again = born[i - 1].row < born[i].row ? born[i].row : born[i - 1].row;
      char reason[80];
      snprintf(reason, sizeof reason, "repeats the child of line %zu", t->rows[first].line);
      ssda903_error(errors, t->file, t->rows[again].line, "CHILD", reason);
    }
  }
}

/* One episode row alone; fills *out (row, child, start, end) when its dates are usable. */
static bool check_episode_row(const struct checker *k, struct date today, struct keyed *out,
                              json_t *warnings) {
  struct date start = {0, 0, 0};
  struct date end = {0, 0, 0};
  bool has_start;
  bool has_end;
  if (cell(k, E_CHILD)[0] == '\0') {
    fail(k, E_CHILD, "is required");
  }
  date_cell(k, E_DECOM, true, today, &start, &has_start);
  code(k, E_RNE, RNE_CODES, true, "a reason for new episode (S, L, P, T, B, U)");
  code(k, E_LS, LS_CODES, true, "a legal status (C1, C2, D1, E1, J1-J3, L1-L3, V2-V4)");
  code(k, E_CIN, CIN_CODES, true, "a category of need (N1-N8)");
  const char *place = cell(k, E_PLACE);
  if (place[0] == '\0') {
    fail(k, E_PLACE, "is required");
  } else if (!placement_type_valid(place)) {
    char reason[96];
    snprintf(reason, sizeof reason, "'%.12s' is not an SSDA903 placement type (U1-U6, K2, ...)", place);
    fail(k, E_PLACE, reason);
  }
  code(k, E_PLACE_PROVIDER, PROVIDER_CODES, false, "a placement provider (PR0-PR5)");
  const char *dec_text = cell(k, E_DEC);
  date_cell(k, E_DEC, false, today, &end, &has_end);
  bool ceased = dec_text[0] != '\0';
  if (has_start && has_end && date_compare(start, end) > 0) {
    fail(k, E_DEC, "must not be before DECOM");
  }
  const char *rec = cell(k, E_REC);
  const char *rpc = cell(k, E_REASON_PLACE_CHANGE);
  if (ceased) {
    code(k, E_REC, REC_CODES, true, "a reason episode ceased (E11-E17, E2-E9, E41-E48, X1)");
    if (rpc[0] != '\0' && !placement_end_reason_valid(rpc)) {
      char reason[120];
      snprintf(reason, sizeof reason, "'%.12s' is not a reason for placement change (section E)", rpc);
      fail(k, E_REASON_PLACE_CHANGE, reason);
    }
  } else {
    if (rec[0] != '\0') {
      ssda903_error(warnings, k->file, k->row->line, "REC",
                    "ignored: the episode has not ceased (no DEC)");
    }
    if (rpc[0] != '\0') {
      ssda903_error(warnings, k->file, k->row->line, "REASON_PLACE_CHANGE",
                    "ignored: the episode has not ceased (no DEC)");
    }
  }
  const int postcodes[] = {E_HOME_POST, E_PL_POST};
  for (size_t i = 0; i < 2; i++) {
    const char *v = cell(k, postcodes[i]);
    if (v[0] != '\0' && !matches(v, 2, 8, " ")) {
      fail(k, postcodes[i], "must be a postcode (letters, digits and a space, at most 8)");
    }
  }
  if (cell(k, E_URN)[0] != '\0' && !matches(cell(k, E_URN), 1, 8, "")) {
    fail(k, E_URN, "must be an Ofsted URN (at most 8 letters or digits)");
  }
  *out = (struct keyed){cell(k, E_CHILD), start, !ceased, end, 0};
  return has_start && (has_end || !ceased);
}

bool ssda903_check(const struct ssda903_table *header, const struct ssda903_table *episodes,
                   struct date today, json_t *errors, json_t *warnings) {
  size_t before = json_array_size(errors);
  struct keyed *born = calloc(header->count + 1, sizeof *born);
  struct keyed *spans = calloc(episodes->count + 1, sizeof *spans);
  if (born == NULL || spans == NULL) {
    free(born);
    free(spans);
    ssda903_error(errors, episodes->file, 0, NULL, "too large to check");
    return false;
  }
  check_header(header, today, born, errors);
  struct checker k = {episodes->file, SSDA903_EPISODE_NAMES, NULL, errors};
  size_t usable = 0;
  for (size_t i = 0; i < episodes->count; i++) {
    k.row = &episodes->rows[i];
    struct keyed span;
    bool dates_ok = check_episode_row(&k, today, &span, warnings);
    if (span.child[0] == '\0') {
      continue;
    }
    const struct keyed *child = find_child(born, header->count, span.child);
    if (child == NULL) {
      fail(&k, E_CHILD, "is not a child of header.csv");
      continue;
    }
    if (dates_ok && !child->open && date_compare(span.start, child->start) < 0) {
      fail(&k, E_DECOM, "must not be before the child's DOB");
    }
    if (dates_ok) {
      span.row = i;
      spans[usable++] = span;
    }
  }
  qsort(spans, usable, sizeof *spans, by_child_then_start);
  for (size_t i = 1; i < usable; i++) {
    const struct keyed *prev = &spans[i - 1];
    const struct keyed *next = &spans[i];
    if (strcmp(prev->child, next->child) != 0) {
      continue;
    }
    const char *why = NULL;
    if (date_compare(prev->start, next->start) == 0) {
      why = "repeats the episode of this CHILD and DECOM on line %zu";
    } else if (prev->open) {
      why = "starts while the episode on line %zu is still open";
    } else if (date_compare(prev->end, next->start) > 0) {
      why = "overlaps the episode on line %zu (DECOM before its DEC)";
    }
    if (why != NULL) {
      char reason[120];
      snprintf(reason, sizeof reason, why, episodes->rows[prev->row].line);
      k.row = &episodes->rows[next->row];
      fail(&k, E_DECOM, reason);
    }
  }
  free(born);
  free(spans);
  return json_array_size(errors) == before;
}
