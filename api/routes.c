#include "routes.h"

#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "metrics.h"

/* Find a route by its path here. */
static const struct route ROUTES[] = {
    {"GET", "/healthz", ops_healthz, NULL, -1, true, false},
    {"GET", "/readyz", ops_readyz, NULL, -1, true, false},
    {"GET", "/metrics", ops_metrics, NULL, -1, true, false},
    {"GET", "/openapi.yaml", ops_openapi, NULL, -1, true, false},

    {"GET", "/v1/me", me_get, NULL, -1, false, false},

    {"POST", "/v1/people", people_create, "person", -1, false, false},
    {"GET", "/v1/people", people_list, "person", -1, false, false},
    {"GET", "/v1/people/:id", people_get, "person", 2, false, false},
    {"PATCH", "/v1/people/:id", people_patch, "person", 2, false, false},

    {"POST", "/v1/children", children_create, "child", -1, false, false},
    {"GET", "/v1/children", children_list, "child", -1, false, false},
    {"GET", "/v1/children/:id", children_get, "child", 2, false, true},
    {"PATCH", "/v1/children/:id", children_patch, "child", 2, false, false},
    {"PUT", "/v1/children/by-external/:system/:id", children_upsert, "child", -1, false, false},
    {"POST", "/v1/children/:id/allocations", allocations_create_for_child, "child", 2, false,
     false},
    {"GET", "/v1/children/:id/allocations", allocations_list_for_child, "child", 2, false, true},
    {"GET", "/v1/children/:id/placements", placements_list_for_child, "child", 2, false, true},
    {"POST", "/v1/children/:id/documents", documents_add_for_child, "child", 2, false, false},
    {"GET", "/v1/children/:id/documents", documents_list_for_child, "child", 2, false, true},
    {"POST", "/v1/children/:id/stability-requests", stability_requests_create, "child", 2, false,
     false},
    {"GET", "/v1/children/:id/review-schedule", children_review_schedule, "child", 2, false,
     true},
    {"GET", "/v1/children/:id/chronology", chronology_for_child, "child", 2, false, true},
    {"GET", "/v1/children/:id/candidate-carers", children_candidate_carers, "child", 2, false,
     true},
    {"POST", "/v1/sibling-groups", sibling_groups_create, "sibling_group", -1, false, false},
    {"GET", "/v1/sibling-groups/:id", sibling_groups_get, "sibling_group", 2, false, true},

    {"POST", "/v1/carers", carers_create, "carer", -1, false, false},
    {"GET", "/v1/carers", carers_list, "carer", -1, false, false},
    {"GET", "/v1/carers/:id", carers_get, "carer", 2, false, false},
    {"PATCH", "/v1/carers/:id", carers_patch, "carer", 2, false, false},
    {"PUT", "/v1/carers/by-external/:system/:id", carers_upsert, "carer", -1, false, false},
    {"POST", "/v1/carers/:id/allocations", allocations_create_for_carer, "carer", 2, false, false},
    {"GET", "/v1/carers/:id/allocations", allocations_list_for_carer, "carer", 2, false, false},
    {"POST", "/v1/carers/:id/documents", documents_add_for_carer, "carer", 2, false, false},
    {"GET", "/v1/carers/:id/documents", documents_list_for_carer, "carer", 2, false, false},
    {"POST", "/v1/carers/:id/support-requests", support_requests_create, "carer", 2, false,
     false},
    {"GET", "/v1/carers/:id/chronology", chronology_for_carer, "carer", 2, false, true},

    {"POST", "/v1/agencies/:agency/carer-submissions", carer_submissions_create,
     "carer_submission", -1, false, false},
    {"GET", "/v1/agencies/:agency/carer-submissions", carer_submissions_list_for_agency,
     "carer_submission", -1, false, false},
    {"GET", "/v1/agencies/:agency/carer-submissions/:id", carer_submissions_get,
     "carer_submission", 4, false, false},
    {"POST", "/v1/agencies/:agency/carer-submissions/:id/versions",
     carer_submissions_add_version, "carer_submission", 4, false, false},
    {"GET", "/v1/agencies/:agency/carer-submissions/:id/versions/:version",
     carer_submissions_get_version, "carer_submission", 4, false, false},
    {"GET", "/v1/carer-submissions", carer_submissions_list, "carer_submission", -1, false,
     false},
    {"POST", "/v1/carer-submissions/:id/accept", carer_submissions_accept, "carer_submission", 2,
     false, false},
    {"POST", "/v1/carer-submissions/:id/return", carer_submissions_return, "carer_submission", 2,
     false, false},

    {"POST", "/v1/placements", placements_create, "placement", -1, false, false},
    {"GET", "/v1/placements/:id", placements_get, "placement", 2, false, true},
    {"POST", "/v1/placements/:id/end", placements_end, "placement", 2, false, false},
    {"PUT", "/v1/placements/by-external/:system/:id", placements_upsert, "placement", -1, false,
     false},
    {"POST", "/v1/placements/:id/unplanned-ending-waiver", placements_waive_unplanned_meeting,
     "placement", 2, false, false},
    {"POST", "/v1/placements/:id/carer-notice", placements_record_carer_wish, "placement", 2,
     false, false},
    {"POST", "/v1/placements/:id/carer-notice/discussion", placements_record_notice_discussion,
     "placement", 2, false, false},
    {"POST", "/v1/placements/:id/notice", placements_give_notice, "placement", 2, false, false},

    {"POST", "/v1/meetings", meetings_create, "meeting", -1, false, false},
    {"GET", "/v1/meetings", meetings_list, "meeting", -1, false, false},
    {"GET", "/v1/meetings/:id", meetings_get, "meeting", 2, false, true},
    {"POST", "/v1/meetings/:id/held", meetings_hold, "meeting", 2, false, false},
    {"POST", "/v1/meetings/:id/minutes", meetings_record_minutes, "meeting", 2, false, false},
    {"POST", "/v1/meetings/:id/circulate", meetings_circulate, "meeting", 2, false, false},
    {"POST", "/v1/meetings/:id/actions", meetings_add_actions, "meeting", 2, false, false},

    {"GET", "/v1/reports/permanence-plans-due", reports_permanence_plans_due, "child", -1, false,
     false},
    {"GET", "/v1/reports/stability", reports_stability, "child", -1, false, false},
    {"GET", "/v1/reports/breakdowns", reports_breakdowns, "child", -1, false, false},
    {"GET", "/v1/reports/compliance", reports_compliance, "action", -1, false, false},
    {"GET", "/v1/reports/panel", reports_panel, "panel", -1, false, false},

    {"POST", "/v1/matches", matches_create, "match", -1, false, false},
    {"GET", "/v1/matches", matches_list, "match", -1, false, false},
    {"GET", "/v1/matches/:id", matches_get, "match", 2, false, false},
    {"POST", "/v1/matches/:id/propose", matches_propose, "match", 2, false, false},
    {"POST", "/v1/matches/:id/withdraw", matches_withdraw, "match", 2, false, false},
    {"POST", "/v1/matches/:id/fee-discussion", matches_record_fee_discussion, "match", 2, false,
     false},
    {"POST", "/v1/matches/:id/submit", matches_submit, "match", 2, false, false},
    {"POST", "/v1/matches/:id/decision", matches_decide, "match", 2, false, false},
    {"POST", "/v1/matches/:id/decision/circulated", matches_record_decision_circulated, "match",
     2, false, false},
    {"GET", "/v1/matches/:id/letters/:recipient", matches_letter, "match", 2, false, true},
    {"GET", "/v1/matches/:id/certificate", matches_certificate, "match", 2, false, true},

    {"POST", "/v1/panels", panels_create, "panel", -1, false, false},
    {"GET", "/v1/panels", panels_list, "panel", -1, false, false},
    {"GET", "/v1/panels/:id", panels_get, "panel", 2, false, false},
    {"POST", "/v1/panels/:id/members", panels_add_member, "panel", 2, false, false},
    {"POST", "/v1/panels/:id/attendance", panels_record_attendance, "panel", 2, false, false},
    {"POST", "/v1/panels/:id/items", panels_add_item, "panel", 2, false, false},
    {"GET", "/v1/panels/:id/items", panels_list_items, "panel", 2, false, true},
    {"GET", "/v1/panels/:id/items/:item", panels_get_item, "panel_item", 4, false, true},
    {"POST", "/v1/panels/:id/papers/circulate", panels_circulate_papers, "panel", 2, false,
     false},
    {"POST", "/v1/panels/:id/items/:item/late-papers", panels_accept_late_papers, "panel_item",
     4, false, false},
    {"POST", "/v1/panels/:id/items/:item/recommendation", panels_record_recommendation,
     "panel_item", 4, false, false},

    {"GET", "/v1/events", events_list, "event", -1, false, false},

    {"POST", "/v1/webhooks", webhooks_create, "webhook", -1, false, false},
    {"GET", "/v1/webhooks", webhooks_list, "webhook", -1, false, false},
    {"GET", "/v1/webhooks/:id", webhooks_get, "webhook", 2, false, false},
    {"DELETE", "/v1/webhooks/:id", webhooks_deactivate, "webhook", 2, false, false},
    {"GET", "/v1/webhooks/:id/deliveries", webhook_deliveries_list, "webhook", 2, false, false},
    {"POST", "/v1/webhooks/:id/deliveries/:delivery/resend", webhook_deliveries_resend,
     "webhook", 2, false, false},

    {"GET", "/v1/settings", settings_get, "settings", -1, false, false},
    {"PATCH", "/v1/settings", settings_patch, "settings", -1, false, false},

    {"GET", "/v1/calendar/closures", calendar_closures_list, "closure", -1, false, false},
    {"POST", "/v1/calendar/closures", calendar_closures_create, "closure", -1, false, false},
    {"DELETE", "/v1/calendar/closures/:date", calendar_closures_delete, "closure", 3, false,
     false},

    {"POST", "/v1/actions", actions_create, "action", -1, false, false},
    {"GET", "/v1/actions", actions_list, "action", -1, false, false},
    {"GET", "/v1/actions.ics", actions_ics, "action", -1, false, false},
    {"POST", "/v1/actions/sweep", actions_sweep, "action", -1, false, false},
    {"GET", "/v1/actions/:id", actions_get, "action", 2, false, false},
    {"POST", "/v1/actions/:id/complete", actions_complete, "action", 2, false, false},
    {"POST", "/v1/actions/:id/cancel", actions_cancel, "action", 2, false, false},
    {"POST", "/v1/actions/:id/reassign", actions_reassign, "action", 2, false, false},

    {"POST", "/v1/imports/ssda903", ssda903_import, "import", -1, false, false},
    {"GET", "/v1/exports/ssda903/episodes.csv", ssda903_export_episodes, "placement", -1, false,
     false},

    {"GET", "/v1/audit", audit_list, "audit", -1, false, true},
    {"GET", "/v1/audit/verify", audit_verify, "audit", -1, false, true},
};

#define ROUTE_COUNT (sizeof ROUTES / sizeof ROUTES[0])
_Static_assert(ROUTE_COUNT <= METRICS_MAX_ROUTES, "/metrics counts every route: raise METRICS_MAX_ROUTES");

const struct route *routes_all(size_t *count) {
  *count = ROUTE_COUNT;
  return ROUTES;
}

/* Whether `pattern` ("/v1/children/:id") matches `path` segment by segment. */
static bool path_matches(const char *pattern, const char *path) {
  while (*pattern != '\0' || *path != '\0') {
    while (*pattern == '/') {
      pattern++;
    }
    while (*path == '/') {
      path++;
    }
    size_t plen = strcspn(pattern, "/");
    size_t len = strcspn(path, "/?");
    if ((plen == 0) != (len == 0)) {
      return false;
    }
    if (plen == 0) {
      return true;
    }
    if (pattern[0] != ':' && (plen != len || strncmp(pattern, path, len) != 0)) {
      return false;
    }
    pattern += plen;
    path += len;
    if (*path == '?') {
      path += strlen(path);
    }
  }
  return true;
}

const struct route *routes_find(const char *method, const char *url_path, size_t *index) {
  for (size_t i = 0; method != NULL && url_path != NULL && i < ROUTE_COUNT; i++) {
    if (strcmp(ROUTES[i].method, method) == 0 && path_matches(ROUTES[i].path, url_path)) {
      *index = i;
      return &ROUTES[i];
    }
  }
  return NULL;
}

char *routes_allowed_methods(const char *url_path, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < ROUTE_COUNT && used < size; i++) {
    if (path_matches(ROUTES[i].path, url_path)) {
      used += (size_t)snprintf(buf + used, size - used, "%s%s", used > 0 ? ", " : "",
                               ROUTES[i].method);
    }
  }
  return buf;
}
