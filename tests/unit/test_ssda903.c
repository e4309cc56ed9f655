/* domain/ssda903.c: reading SSDA903 files (RFC 4180 through libcsv) and the row checks. */
#include <string.h>

#include "../../domain/records.h"
#include "../../domain/ssda903.h"
#include "unit.h"

#define HEADER "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n"
#define EPISODES \
  "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n"

static const struct date TODAY = {2025, 6, 1};

struct files {
  struct ssda903_table header;
  struct ssda903_table episodes;
  json_t *errors;
  json_t *warnings;
};

/* Parses and checks both texts; true when no error. */
static bool load(struct files *f, const char *header, const char *episodes) {
  f->errors = json_array();
  f->warnings = json_array();
  bool ok = ssda903_parse(header, strlen(header), "header.csv", SSDA903_HEADER_NAMES,
                          SSDA903_HEADER_COLUMNS, &f->header, f->errors);
  ok = ssda903_parse(episodes, strlen(episodes), "episodes.csv", SSDA903_EPISODE_NAMES,
                     SSDA903_EPISODE_COLUMNS, &f->episodes, f->errors) && ok;
  return ok && ssda903_check(&f->header, &f->episodes, TODAY, f->errors, f->warnings);
}

static void unload(struct files *f) {
  ssda903_table_free(&f->header);
  ssda903_table_free(&f->episodes);
  json_decref(f->errors);
  json_decref(f->warnings);
}

/* Whether `errors` holds {file, line, column} whose reason contains `part`. */
static bool has(const json_t *errors, const char *file, long line, const char *column,
                const char *part) {
  size_t i;
  const json_t *e;
  json_array_foreach(errors, i, e) {
    const char *c = json_string_value(json_object_get(e, "column"));
    if (strcmp(json_string_value(json_object_get(e, "file")), file) == 0 &&
        json_integer_value(json_object_get(e, "line")) == line &&
        (column == NULL ? c == NULL : c != NULL && strcmp(c, column) == 0) &&
        strstr(json_string_value(json_object_get(e, "reason")), part) != NULL) {
      return true;
    }
  }
  return false;
}

START_TEST(dates_are_real_dd_mm_yyyy) {
  struct date d;
  ck_assert(ssda903_date("29/02/2024", &d));
  ck_assert_int_eq(d.year, 2024);
  ck_assert_int_eq(d.month, 2);
  ck_assert_int_eq(d.day, 29);
  ck_assert(!ssda903_date("29/02/2023", &d));
  ck_assert(!ssda903_date("2024-02-01", &d));
  ck_assert(!ssda903_date("1/2/2024", &d));
  ck_assert(!ssda903_date("", &d));
}
END_TEST

START_TEST(reads_rfc4180_with_bom_crlf_quotes_and_any_column_order) {
  struct files f;
  const char *header = "\xEF\xBB\xBF" "MC_DOB,CHILD,SEX,DOB,ETHNIC,UPN,MOTHER\n"
                       ",\"A1\",1,01/01/2015,WBRI,,\r\n";
  const char *episodes = EPISODES "A1,01/01/2020,S,C2,N1,U4,PR1,02/02/2021,X1,CARPL,\"AB1 2CD\",,\r\n";
  ck_assert(load(&f, header, episodes));
  ck_assert_uint_eq(f.header.count, 1);
  ck_assert_str_eq(f.header.rows[0].cells[H_CHILD], "A1");
  ck_assert_str_eq(f.header.rows[0].cells[H_ETHNIC], "WBRI");
  ck_assert_uint_eq(f.header.rows[0].line, 2);
  ck_assert_str_eq(f.episodes.rows[0].cells[E_HOME_POST], "AB1 2CD");
  unload(&f);
}
END_TEST

START_TEST(names_line_and_column_of_each_bad_row) {
  struct files f;
  const char *header = HEADER "A1,1,01/01/2015,WBRI,,,\r\nB2,X,31/04/2015,NOPE,,1.0,\r\nA1,1,01/01/2015,WBRI,,,\r\n";
  const char *episodes = EPISODES
      "A1,01/01/2020,S,C2,N1,U4,PR1,01/06/2020,X1,CREQB,,,\r\n"  /* 2 */
      "A1,01/05/2020,S,C2,N1,U4,PR1,,,,,,\r\n"                   /* 3 overlaps 2 */
      "A1,01/07/2020,Q,C9,N9,U9,PR9,,,,,,\r\n"                   /* 4 open while 3 open, bad codes */
      "C3,01/01/2020,S,C2,N1,U4,PR1,,,,,,\r\n"                   /* 5 not in the header */
      "\"A1\",\"01/01/2019\",S,C2,N1,U4,PR1,01/12/2018,E11,,,,\r\n" /* 6 DEC before DECOM */
      "A1,01/01/2014,S,C2,N1,U4,PR1,01/02/2014,E11,BORED,,,\r\n"   /* 7 before DOB, bad reason */
      "A1,01/01/2030,S,C2,N1,U4,PR1,,,,,,\r\n";                  /* 8 future */
  ck_assert(!load(&f, header, episodes));
  ck_assert(has(f.errors, "header.csv", 3, "SEX", "SEX code"));
  ck_assert(has(f.errors, "header.csv", 3, "DOB", "real date"));
  ck_assert(has(f.errors, "header.csv", 3, "ETHNIC", "ethnicity"));
  ck_assert(has(f.errors, "header.csv", 3, "MOTHER", "0, 1"));
  ck_assert(has(f.errors, "header.csv", 4, "CHILD", "repeats the child of line 2"));
  ck_assert(has(f.errors, "episodes.csv", 3, "DECOM", "overlaps the episode on line 2"));
  ck_assert(has(f.errors, "episodes.csv", 4, "DECOM", "still open"));
  ck_assert(has(f.errors, "episodes.csv", 4, "RNE", "reason for new episode"));
  ck_assert(has(f.errors, "episodes.csv", 4, "LS", "legal status"));
  ck_assert(has(f.errors, "episodes.csv", 4, "CIN", "category of need"));
  ck_assert(has(f.errors, "episodes.csv", 4, "PLACE", "placement type"));
  ck_assert(has(f.errors, "episodes.csv", 4, "PLACE_PROVIDER", "provider"));
  ck_assert(has(f.errors, "episodes.csv", 5, "CHILD", "not a child of header.csv"));
  ck_assert(has(f.errors, "episodes.csv", 6, "DEC", "before DECOM"));
  ck_assert(has(f.errors, "episodes.csv", 7, "DECOM", "before the child's DOB"));
  ck_assert(has(f.errors, "episodes.csv", 7, "REASON_PLACE_CHANGE", "reason for placement change"));
  ck_assert(has(f.errors, "episodes.csv", 8, "DECOM", "future"));
  unload(&f);
}
END_TEST

START_TEST(ceased_needs_rec_and_open_ignores_reasons) {
  struct files f;
  const char *header = HEADER "A1,2,01/01/2015,REFU,A123456789012,0,\r\n";
  ck_assert(!load(&f, header, EPISODES "A1,01/01/2020,S,C2,N1,U4,PR1,01/02/2020,,,,,\r\n"));
  ck_assert(has(f.errors, "episodes.csv", 2, "REC", "is required"));
  unload(&f);
  /* contiguous episodes (DEC = next DECOM) do not overlap; reasons on an open one are ignored */
  ck_assert(load(&f, header,
                 EPISODES "A1,01/01/2020,S,C2,N1,U4,PR1,01/02/2020,X1,,,,\r\n"
                          "A1,01/02/2020,P,C2,N1,K2,PR1,,X1,CARPL,,,\r\n"));
  ck_assert(has(f.warnings, "episodes.csv", 3, "REC", "not ceased"));
  ck_assert(has(f.warnings, "episodes.csv", 3, "REASON_PLACE_CHANGE", "not ceased"));
  unload(&f);
}
END_TEST

START_TEST(malformed_files_and_columns) {
  struct files f;
  ck_assert(!load(&f, "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,EXTRA\r\n", EPISODES "\"A1,01/01/2020\r\n"));
  ck_assert(has(f.errors, "header.csv", 1, "EXTRA", "not a column"));
  ck_assert(has(f.errors, "header.csv", 1, "MC_DOB", "missing"));
  ck_assert(has(f.errors, "episodes.csv", 2, NULL, "error parsing"));
  unload(&f);
  ck_assert(!load(&f, HEADER "A1,1\r\n", ""));
  ck_assert(has(f.errors, "header.csv", 2, NULL, "has 2 fields"));
  ck_assert(has(f.errors, "episodes.csv", 1, NULL, "no header row"));
  unload(&f);
}
END_TEST

/* libcsv ends a record at a lone CR too: the rows after one are named by their own lines. */
START_TEST(a_lone_cr_ends_a_line) {
  struct files f;
  ck_assert(!load(&f, HEADER "A1,1,01/01/2015,WBRI,,,\rB2,X,01/01/2015,WBRI,,,\r\n", EPISODES));
  ck_assert_uint_eq(f.header.count, 2);
  ck_assert_uint_eq(f.header.rows[1].line, 3);
  ck_assert(has(f.errors, "header.csv", 3, "SEX", "SEX code"));
  unload(&f);
}
END_TEST

START_TEST(sex_codes_both_ways) {
  ck_assert_str_eq(ssda903_sex("1"), "male");
  ck_assert_str_eq(ssda903_sex("F"), "female");
  ck_assert_str_eq(ssda903_sex("U"), "unknown");
  ck_assert_ptr_null(ssda903_sex("3"));
  ck_assert_str_eq(ssda903_sex_code("female"), "2");
}
END_TEST

START_TEST(names_optional_only_for_an_imported_child) {
  json_t *doc = json_pack("{s:s, s:n, s:n, s:[{s:s, s:s}]}", "date_of_birth", "2015-01-01",
                          "given_name", "family_name", "external_ids", "system", "ssda903", "id",
                          "A1");
  json_t *errors = json_array();
  ck_assert(child_validate(doc, TODAY, errors));
  json_object_set_new(doc, "external_ids", json_pack("[{s:s, s:s}]", "system", "mosaic", "id", "A1"));
  ck_assert(!child_validate(doc, TODAY, errors));
  ck_assert_uint_eq(json_array_size(errors), 2);
  json_decref(errors);
  json_decref(doc);
}
END_TEST

Suite *ssda903_suite(void) {
  Suite *s = suite_create("ssda903");
  TCase *tc = tcase_create("ssda903");
  tcase_add_test(tc, dates_are_real_dd_mm_yyyy);
  tcase_add_test(tc, reads_rfc4180_with_bom_crlf_quotes_and_any_column_order);
  tcase_add_test(tc, names_line_and_column_of_each_bad_row);
  tcase_add_test(tc, ceased_needs_rec_and_open_ignores_reasons);
  tcase_add_test(tc, malformed_files_and_columns);
  tcase_add_test(tc, a_lone_cr_ends_a_line);
  tcase_add_test(tc, sex_codes_both_ways);
  tcase_add_test(tc, names_optional_only_for_an_imported_child);
  suite_add_tcase(s, tc);
  return s;
}
