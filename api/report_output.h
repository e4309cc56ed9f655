/* What the report handlers share: who reads which scope (team manager: their team; adm and the
 * panel roles: the council; admin: figures without lists), the query parameters, answering as
 * CSV (RFC 4180 through libcsv) when asked with Accept: text/csv, and the audit of the children
 * a list shows (R1). */
#ifndef API_REPORT_OUTPUT_H
#define API_REPORT_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "http.h"

struct report_scope {
  char team[129];
  bool whole_council; /* team is "" and means nothing */
  bool lists;         /* the caller may see the children behind the figures */
};

enum report_kind { REPORT_CHILDREN, REPORT_PANEL };

/* Works out the caller's scope for a report of `kind`. Children's reports: adm (the council, or
 * ?team=), team_manager (their own team, from the people register), admin (figures only; may
 * narrow with ?team=). The panel report: adm, chair and panel_admin, admin figures only. Answers
 * 403 and returns false for anyone else (and a team manager with no team). */
bool report_scope_of(struct request *r, enum report_kind kind, struct report_scope *scope);

/* The scope's team as a statement parameter: NULL for the whole council. */
const char *report_scope_team(const struct report_scope *scope);

/* The scope as JSON: {"team": t or null, "lists": bool}. */
json_t *report_scope_json(const struct report_scope *scope);

/* Reads a required "YYYY-MM-DD" query parameter `name` into buf (11 bytes), or the `fallback`
 * when absent and fallback is not NULL; answers 400 and returns false otherwise. */
bool report_date_param(struct request *r, const char *name, const char *fallback, char *buf,
                       struct date *out);

/* Reads ?from= and ?to= (both required, from <= to, at most 5 years apart); answers 400. */
bool report_period(struct request *r, char from[11], char to[11], struct date *first,
                   struct date *last);

/* Whether the caller asked for text/csv in Accept. */
bool report_wants_csv(const struct request *r);

/* CSV written into memory. */
struct report_csv {
  FILE *file;
  char *text;
  size_t length;
};

/* Opens an empty CSV document; false when memory runs out. */
bool report_csv_open(struct report_csv *csv);

/* Writes one row of n cells (NULL cells are empty), quoted by libcsv where needed, CRLF. */
void report_csv_row(struct report_csv *csv, size_t n, const char *const *cells);

/* Closes the document and answers 200 with it as text/csv; frees its text. */
void report_csv_respond(struct request *r, struct report_csv *csv);

/* Answers the report (stolen): JSON, or, when the caller asked for text/csv, the CSV that
 * `write_csv` writes of it. */
void report_respond(struct request *r, json_t *report,
                    void (*write_csv)(struct report_csv *csv, const json_t *report));

/* R1: queues the audit row of the children a report shows ({"read": ids}; `ids` is stolen).
 * Returns false after answering 503 when it could not be written: the report is then not sent. */
bool report_audit_children(struct request *r, json_t *ids);

/* After a large report is answered: gives the memory of its many small pieces (tens of
 * megabytes for the council's lists of children) back to the system (malloc_trim), so that the
 * service's resident memory does not keep a report's high-water mark. */
void report_release_memory(void);

/* Runs a report's statement planned for its own parameters each time (a generic plan for a
 * whole-council report, its team NULL, ran 3.5 times slower on 50 000 children), inside a
 * read-only transaction of its own. NULL after answering; the caller PQclears. */
PGresult *report_query(struct request *r, const struct db_statement *statement, int nparams,
                       const char *const *params);

#endif
