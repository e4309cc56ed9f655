/*
 * family_fixtures.c - see family_fixtures.h.
 */
#include "family_fixtures.h"

#include "db.h"
#include "expect.h"
#include "http_client.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A carer who meets every soft factor of the register test's child (test_family_finding.c):
 * the skill its need asks for, a dog, a home in the child's school district (SN1), Polish, a
 * Muslim household of Pakistani heritage; approved long-term for ages 0-17 and 2 places. The
 * caller owns it. */
json_t *ffx_ideal_carer(void)
{
    json_t *carer = fx_carer_body(NULL, "approved", 2);

    json_object_update_new(carer, json_pack("{s:s, s:[s, s], s:s, s:[s], s:[s], s:[s]}", "postcode",
                                            "SN1 1AA", "languages", "Polish", "English", "religion",
                                            "Muslim", "ethnicities", "Pakistani", "skills",
                                            "therapeutic parenting", "pets", "dog"));
    return carer;
}

/* Sets `key` of the carer body's approval to `value` (stolen). */
json_t *ffx_with_approval(json_t *carer, const char *key, json_t *value)
{
    json_object_set_new(json_object_get(carer, "approval"), key, value);
    return carer;
}

/* Merges `fields` (stolen) into the carer body. */
json_t *ffx_with(json_t *carer, json_t *fields)
{
    json_object_update_new(carer, fields);
    return carer;
}

/* A date `interval` before London's today in the database ("7 years 2 months"), as text. */
void ffx_date_before_today(const char *interval, char *out)
{
    char *date =
        db_text("select to_char(london_today() - $1::interval, 'YYYY-MM-DD')", 1, interval);

    snprintf(out, FX_ID_MAX, "%s", date);
    free(date);
}

/* A child of the scene's CSW born on `born`, with `extra` (stolen, may be NULL) in its record,
 * its family finder allocated. */
void ffx_make_child(const mfx_scene *s, const char *born, json_t *extra, char *id)
{
    char family[FX_ID_MAX];
    json_t *child;

    fx_unique(family, sizeof family, "Finding");
    child = fx_child_body(family);
    json_object_set_new(child, "date_of_birth", json_string(born));
    if (extra != NULL)
        json_object_update_new(child, extra);
    mfx_create(&s->csw, child, "/v1/children", id);
    fx_child_allocate(&s->tm, id, s->finder.id, "family_finder");
}

/* Every candidate of the child's search, following `next` with pages of `limit`; the first
 * page's `excluded` (when asked for) into *excluded (owned by the caller). */
json_t *ffx_all_candidates(const fx_person *who, const char *child, int limit, int explain,
                           json_t **excluded)
{
    json_t *all = json_array();
    char *after = NULL;

    for (int page = 0; page < 1000; page++) {
        http_response res = http_get(who->token, "/v1/children/%s/candidate-carers?limit=%d%s%s%s",
                                     child, limit, explain ? "&explain_excluded=true" : "",
                                     after != NULL ? "&after=" : "", after != NULL ? after : "");
        json_t *next;

        EXPECT_STATUS(res, 200);
        json_array_extend(all, body_items(&res));
        if (page == 0 && excluded != NULL) {
            *excluded = json_incref(json_object_get(res.json, "excluded"));
            ck_assert_msg(json_is_array(*excluded), "no excluded list: %.300s", res.body);
        } else if (page > 0) {
            ck_assert_msg(json_object_get(res.json, "excluded") == NULL,
                          "excluded repeated on page %d", page);
        }
        next = json_object_get(res.json, "next");
        free(after);
        after = json_is_string(next) ? strdup(json_string_value(next)) : NULL;
        http_response_free(&res);
        if (after == NULL)
            return all;
    }
    ck_abort_msg("the search's pages never ended");
    return all;
}

/* The entry of `carer` in `list` (by carer_id), or NULL. */
json_t *ffx_entry_of(const json_t *list, const char *carer)
{
    size_t i;
    json_t *entry;

    json_array_foreach(list, i, entry)
    {
        if (json_member_is(entry, "carer_id", carer))
            return entry;
    }
    return NULL;
}

/* The index of `carer` in `list`, or -1. */
long ffx_index_of(const json_t *list, const char *carer)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        if (json_member_is(json_array_get(list, i), "carer_id", carer))
            return (long)i;
    }
    return -1;
}

/* The evidence of the item named `name` in the entry's `list` ("factors", "limits" or
 * "failed"), or NULL. */
const char *ffx_evidence_of(const json_t *entry, const char *list, const char *name)
{
    size_t i;
    json_t *item;
    const char *key = strcmp(list, "factors") == 0 ? "factor" : "limit";

    json_array_foreach(json_object_get(entry, list), i, item)
    {
        if (json_member_is(item, key, name))
            return json_string_value(json_object_get(item, "evidence"));
    }
    return NULL;
}

/* Checks the candidate `carer` has `factor` with `rank` and evidence containing `part`. */
void ffx_expect_factor(const json_t *candidates, const char *carer, const char *factor, int rank,
                       const char *part)
{
    const json_t *entry = ffx_entry_of(candidates, carer);
    size_t i;
    json_t *item;

    ck_assert_msg(entry != NULL, "carer %s is not a candidate", carer);
    json_array_foreach(json_object_get(entry, "factors"), i, item)
    {
        if (json_member_is(item, "factor", factor)) {
            const char *evidence = json_string_value(json_object_get(item, "evidence"));

            ck_assert_msg(json_integer_value(json_object_get(item, "rank")) == rank,
                          "%s of %s: rank %lld, not %d (%s)", factor, carer,
                          (long long)json_integer_value(json_object_get(item, "rank")), rank,
                          evidence);
            ck_assert_msg(evidence != NULL && strstr(evidence, part) != NULL,
                          "%s of %s: evidence [%s] lacks [%s]", factor, carer, evidence, part);
            return;
        }
    }
    ck_abort_msg("carer %s has no factor %s", carer, factor);
}

/* Checks the excluded `carer` failed exactly the one limit `limit`, with evidence holding `part`.
 */
void ffx_expect_excluded_by(const json_t *excluded, const json_t *candidates, const char *carer,
                            const char *limit, const char *part)
{
    const json_t *entry = ffx_entry_of(excluded, carer);
    const json_t *failed = json_object_get(entry, "failed");
    const char *evidence = ffx_evidence_of(entry, "failed", limit);

    ck_assert_msg(entry != NULL, "carer %s (%s) is not excluded", carer, limit);
    ck_assert_msg(ffx_entry_of(candidates, carer) == NULL, "excluded carer %s is a candidate",
                  carer);
    ck_assert_msg(json_array_size(failed) == 1 && evidence != NULL,
                  "carer %s should fail only %s: %s", carer, limit,
                  json_dumps(failed, JSON_COMPACT));
    ck_assert_msg(strstr(evidence, part) != NULL, "%s evidence [%s] lacks [%s]", limit, evidence,
                  part);
}
