/* Fuzz target query: the parsers of single values. The input is one value, as ulfius hands a
 * query-string or path value over (text up to the first NUL), given to each parser a handler
 * uses: the list paging parameters (api/page_params.c: limit, and the after cursor for every key
 * kind), dates "YYYY-MM-DD" (domain/dates.c: from, to), RFC 3339 times (domain/calendar.c:
 * due_before, from, to), a report's month, an SSDA903 date, a UUID filter, a meeting type, a
 * letter's recipient; and the parsers of single body fields that take text apart: a webhook's
 * URL and event pattern, a carer field path. Properties: what parses prints back as it was
 * read, the working-day arithmetic on a parsed date agrees with itself, and a URL that parses
 * has a host, a port and a path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../api/page_params.h"
#include "../../domain/calendar.h"
#include "../../domain/carer_submissions.h"
#include "../../domain/letters.h"
#include "../../domain/meetings.h"
#include "../../domain/schema.h"
#include "../../domain/ssda903.h"
#include "../../domain/webhooks.h"
#include "harness.h"

static const struct date CLOSED[] = {{2025, 12, 25}, {2025, 12, 26}, {2026, 1, 1}, {2026, 4, 3}};
static const struct calendar CALENDAR = {CLOSED, sizeof CLOSED / sizeof CLOSED[0]};

static void check_paging(const char *text) {
  static const enum page_key_kind KINDS[] = {PAGE_KEY_UUID, PAGE_KEY_INTEGER, PAGE_KEY_TEXT};
  struct page page;
  for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++) {
    if (page_params_parse(KINDS[i], NULL, text, &page) == NULL) {
      size_t n = strlen(page.after);
      harness_expect(n > 0 && n <= PAGE_KEY_MAX, "a cursor's key is within its size");
      harness_expect(KINDS[i] != PAGE_KEY_UUID || schema_is_uuid(page.after),
                     "a UUID cursor holds a UUID");
    }
  }
  if (page_params_parse(PAGE_KEY_TEXT, text, NULL, &page) == NULL) {
    long limit = strtol(page.limit, NULL, 10);
    harness_expect(limit >= 1 && limit <= PAGE_MAX_LIMIT, "a limit within 1..200");
  }
}

static void check_date(const char *text) {
  struct date d;
  if (!date_parse(text, &d)) {
    return;
  }
  char printed[11];
  date_format(d, printed);
  harness_expect(strcmp(printed, text) == 0, "a date prints as it was read");
  struct date due = calendar_add_working_days(&CALENDAR, d, 10);
  harness_expect(calendar_is_working_day(&CALENDAR, due), "the 10th working day is one");
  harness_expect(calendar_working_days_between(&CALENDAR, d, due) == 10,
                 "10 working days lie between a date and its 10th working day");
  struct date back = london_date(london_end_of_day(d));
  harness_expect(date_compare(back, d) == 0, "the end of a London day is on that day");
}

static void check_time(const char *text) {
  time_t t;
  if (!date_from_time_string(text, &t)) {
    return;
  }
  char printed[21];
  time_format_utc(t, printed);
  char day[11];
  memcpy(day, printed, 10);
  day[10] = '\0';
  struct date d;
  time_t again;
  if (date_parse(day, &d)) { /* the UTC instant is within the years a date may have */
    harness_expect(date_from_time_string(printed, &again) && again == t,
                   "a time prints as the instant it was read as");
  }
  london_date(t);
}

/* reports.c reads ?month=YYYY-MM as the date YYYY-MM-01. */
static void check_month(const char *text) {
  char first[11];
  struct date d;
  if (strlen(text) == 7 && snprintf(first, sizeof first, "%s-01", text) == 10 &&
      date_parse(first, &d)) {
    harness_expect(d.day == 1, "a month starts on its first day");
  }
}

/* A webhook's URL and an event pattern (api/webhooks.c). */
static void check_webhook_text(const char *text) {
  struct webhook_url url;
  if (webhook_url_parse(text, &url)) {
    harness_expect(url.host[0] != '\0' && url.port >= 1 && url.port <= 65535 &&
                       url.path[0] == '/',
                   "a URL that parses has a host, a port and a path");
  }
  harness_expect(!webhook_url_allowed(text, "http://127.0.0.1:,https://hooks.example.org/in/") ||
                     webhook_url_parse(text, &url),
                 "an allowed URL parses");
  if (webhook_pattern_valid(text)) {
    webhook_pattern_matches(text, "placement.ended");
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = harness_text(data, size);
  check_paging(text);
  check_date(text);
  check_time(text);
  check_month(text);
  struct date d;
  ssda903_date(text, &d);
  schema_is_uuid(text);
  enum meeting_type type;
  meeting_type_parse(text, &type);
  enum letter_kind kind;
  letter_recipient_parse(text, &kind);
  carer_submission_field_path_valid(text);
  check_webhook_text(text);
  free(text);
  return 0;
}
