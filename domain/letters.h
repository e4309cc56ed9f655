/* M10: when the decision maker agrees a match, letters go to the carers, the birth parents and
 * the child, and the child receives a matching certificate. Each is drafted from a template
 * (an HTML file a council may edit) whose {{placeholders}} are filled with the match's details,
 * every value HTML-escaped. */
#ifndef DOMAIN_LETTERS_H
#define DOMAIN_LETTERS_H

#include <jansson.h>
#include <stdbool.h>

#include "dates.h"

enum letter_kind { LETTER_CARERS, LETTER_BIRTH_PARENTS, LETTER_CHILD, LETTER_CERTIFICATE,
                   LETTER_KIND_COUNT };

/* "carers", "birth_parents", "child", "certificate": also the template's file name (.html). */
const char *letter_kind_name(enum letter_kind kind);

/* The letter to `recipient` ("carers", "birth_parents", "child"); false for anything else. */
bool letter_recipient_parse(const char *recipient, enum letter_kind *out);

/* The placeholders' values (strings) for the letter of `kind` from the child's and the carer's
 * records and the dates: child_name, child_given_name, carer_names ("Ann Smith and Bob Smith";
 * never in the birth parents' letter, whatever its template says: who the child lives with is
 * not disclosed to the birth family by letter), birth_parent_names (the child's birth_family
 * entries whose relationship is mother, father or parent), panel_date, decision_date, today.
 * The caller owns the result. */
json_t *letter_values(enum letter_kind kind, const json_t *child, const json_t *carer,
                      const char *panel_date, const char *decision_date, struct date today);

/* The template with every {{name}} replaced by the HTML-escaped string `values[name]` (an unknown
 * name becomes empty). Returns a string the caller frees, or NULL when out of memory. */
char *letter_render(const char *template_text, const json_t *values);

#endif
