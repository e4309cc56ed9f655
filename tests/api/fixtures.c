/*
 * fixtures.c - test data created through the API (see fixtures.h).
 */
#include "fixtures.h"

#include "expect.h"
#include "http_client.h"
#include "tokens.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

void fx_unique(char *out, size_t size, const char *prefix)
{
    unsigned char bytes[8];
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got;

    ck_assert_msg(f != NULL, "cannot open /dev/urandom");
    got = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    ck_assert_msg(got == sizeof bytes, "short read from /dev/urandom");
    snprintf(out, size, "%s-%02x%02x%02x%02x%02x%02x%02x%02x", prefix, bytes[0], bytes[1],
             bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]);
}

const char *fx_admin_token(void)
{
    static char token[FX_TOKEN_MAX];

    if (token[0] == '\0') {
        char sub[FX_ID_MAX];
        token_spec spec;

        fx_unique(sub, sizeof sub, "admin");
        spec = token_spec_for(sub, "admin");
        token_mint_into(&spec, token, sizeof token);
    }
    return token;
}

/* POSTs a people record for `p` holding `role`, as admin, and asserts 201. */
static void post_person(const fx_person *p, const char *role)
{
    json_t *body = json_pack("{s:s, s:s, s:s, s:[s]}", "id", p->id, "name", "Test Person",
                             "email", "test.person@example.org", "roles", role);
    http_response res;

    if (p->team[0] != '\0')
        json_object_set_new(body, "team", json_string(p->team));
    res = http_post(fx_admin_token(), body, "/v1/people");
    EXPECT_STATUS(res, 201);
    http_response_free(&res);
}

void fx_person_create(fx_person *p, const char *role, const char *team)
{
    token_spec spec;

    memset(p, 0, sizeof *p);
    fx_unique(p->id, sizeof p->id, role);
    if (team != NULL)
        snprintf(p->team, sizeof p->team, "%s", team);
    post_person(p, role);
    spec = token_spec_for(p->id, role);
    token_mint_into(&spec, p->token, sizeof p->token);
}

void fx_agency_create(fx_person *p, const char *agency_id)
{
    token_spec spec;

    memset(p, 0, sizeof *p);
    fx_unique(p->id, sizeof p->id, "agency");
    snprintf(p->agency_id, sizeof p->agency_id, "%s", agency_id);
    post_person(p, "agency");
    spec = token_spec_for(p->id, "agency");
    spec.agency_id = p->agency_id;
    token_mint_into(&spec, p->token, sizeof p->token);
}

void fx_token_only(fx_person *p, const char *role)
{
    token_spec spec;

    memset(p, 0, sizeof *p);
    fx_unique(p->id, sizeof p->id, "nobody");
    spec = token_spec_for(p->id, role);
    token_mint_into(&spec, p->token, sizeof p->token);
}

json_t *fx_child_body(const char *family_name)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}", "given_name", "Sam",
                     "family_name", family_name, "date_of_birth", FX_CHILD_DOB, "sex", "unknown",
                     "legal_status", "C2", "entered_care_on", FX_ENTERED_CARE_ON, "languages",
                     "English");
}

/* Copies the "id" of a 201 answer into `id` after checking it is a UUID. */
static void take_id(const http_response *res, char *id)
{
    const char *value = body_string(res, "id");

    ck_assert_msg(is_uuid(value), "%s: id [%s] is not a UUID", res->what, value);
    snprintf(id, FX_ID_MAX, "%s", value);
}

void fx_child_create(const fx_person *creator, char *id)
{
    char family[FX_ID_MAX];
    http_response res;

    fx_unique(family, sizeof family, "Child");
    res = http_post(creator->token, fx_child_body(family), "/v1/children");
    EXPECT_STATUS(res, 201);
    take_id(&res, id);
    http_response_free(&res);
}

json_t *fx_carer_body(const char *agency_id, const char *status, int max_children)
{
    json_t *approval = json_pack("{s:s, s:i, s:i, s:i, s:b}", "status", status, "age_from", 0,
                                 "age_to", 17, "max_children", max_children, "long_term", 1);

    if (strcmp(status, "approved") == 0)
        json_object_set_new(approval, "approved_on", json_string(FX_APPROVED_ON));
    return json_pack("{s:[{s:s, s:s}], s:s?, s:o, s:s, s:s}", "carers", "given_name", "Alex",
                     "family_name", "Carer", "agency_id", agency_id, "approval", approval,
                     "address", "1 Test Street", "postcode", "SW1A 1AA");
}

void fx_carer_create(const fx_person *tm, const char *agency_id, const char *status,
                     int max_children, char *id)
{
    http_response res = http_post(tm->token, fx_carer_body(agency_id, status, max_children),
                                  "/v1/carers");

    EXPECT_STATUS(res, 201);
    take_id(&res, id);
    http_response_free(&res);
}

void fx_carer_allocate(const fx_person *tm, const char *carer_id, const char *ssw_id)
{
    http_response res = http_post(tm->token,
                                  json_pack("{s:s, s:s}", "person_id", ssw_id, "role", "ssw"),
                                  "/v1/carers/%s/allocations", carer_id);

    EXPECT_STATUS(res, 201);
    http_response_free(&res);
}

void fx_child_allocate(const fx_person *tm, const char *child_id, const char *person_id,
                       const char *role)
{
    http_response res = http_post(tm->token,
                                  json_pack("{s:s, s:s}", "person_id", person_id, "role", role),
                                  "/v1/children/%s/allocations", child_id);

    EXPECT_STATUS(res, 201);
    http_response_free(&res);
}

void fx_placement_create(const fx_person *who, const char *child_id, const char *carer_id,
                         const char *start_date, char *id)
{
    http_response res = http_post(who->token,
                                  json_pack("{s:s, s:s, s:s, s:s}", "child_id", child_id,
                                            "carer_id", carer_id, "start_date", start_date,
                                            "placement_type", "U4"),
                                  "/v1/placements");

    EXPECT_STATUS(res, 201);
    take_id(&res, id);
    http_response_free(&res);
}

void fx_placement_end(const fx_person *who, const char *placement_id, const char *end_date,
                      const char *reason)
{
    http_response res = http_post(who->token,
                                  json_pack("{s:s, s:s}", "end_date", end_date, "reason", reason),
                                  "/v1/placements/%s/end", placement_id);

    EXPECT_STATUS(res, 200);
    http_response_free(&res);
}
