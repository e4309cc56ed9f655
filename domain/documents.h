/* Documents on file about a child or a carer: metadata of what the case system holds (the file
 * stays there). M2 asks for an All About Me and a family chronology, M4 for a matching report,
 * the most recent Fostering Household Review and a support plan, P4 for a permanence plan, the
 * latest PPM minutes and a request form; "the most recent" is the newest of a type. */
#ifndef DOMAIN_DOCUMENTS_H
#define DOMAIN_DOCUMENTS_H

#include <jansson.h>
#include <stdbool.h>

#include "dates.h"

/* Whether `type` is a kind of document the service knows. */
bool document_type_valid(const char *type);

/* The known document types, NULL-terminated. */
const char *const *document_types(void);

/* The support a support plan covers (M4: therapeutic, educational and health support, short
 * breaks, peer support, carer training), NULL-terminated. */
const char *const *support_plan_areas(void);

/* Checks a new document {type, title, date, author?, link?, external_document_id?, covers?}:
 * appends one
 * error per offending field; a document needs a link or the case system's id, and a date that
 * is not in the future; only a support plan says which support it `covers` (M4). */
bool document_validate(const json_t *doc, struct date today, json_t *errors);

#endif
