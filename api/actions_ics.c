/* GET /v1/actions.ics: the caller's open actions as an iCalendar feed (RFC 5545), one event at
 * each due time, so that Outlook shows them beside the rest of the working week. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/actions.h"
#include "handlers.h"

/* One VEVENT for an open action (row of ACTION_OPEN_FOR_OWNER), owned by the calendar. */
static void add_event(icalcomponent *calendar, const PGresult *res, int row) {
  char uid[80];
  char summary[1024]; /* a title of 200 characters is up to 800 bytes */
  time_t due = (time_t)strtoll(PQgetvalue(res, row, 2), NULL, 10);
  time_t updated = (time_t)strtoll(PQgetvalue(res, row, 5), NULL, 10);
  icaltimezone *utc = icaltimezone_get_utc_timezone();
  snprintf(uid, sizeof uid, "%s@permanence", PQgetvalue(res, row, 0));
  if (PQgetisnull(res, row, 4)) {
    snprintf(summary, sizeof summary, "%s", PQgetvalue(res, row, 1));
  } else {
    snprintf(summary, sizeof summary, "[%s] %s", PQgetvalue(res, row, 4), PQgetvalue(res, row, 1));
  }
  icalcomponent *event = icalcomponent_new_vevent();
  icalcomponent_add_property(event, icalproperty_new_uid(uid));
  icalcomponent_add_property(event, icalproperty_new_dtstamp(
                                        icaltime_from_timet_with_zone(updated, 0, utc)));
  icalcomponent_add_property(event, icalproperty_new_dtstart(
                                        icaltime_from_timet_with_zone(due, 0, utc)));
  icalcomponent_add_property(event, icalproperty_new_dtend(
                                        icaltime_from_timet_with_zone(due, 0, utc)));
  icalcomponent_add_property(event, icalproperty_new_summary(summary));
  icalcomponent_add_property(event, icalproperty_new_categories(PQgetvalue(res, row, 3)));
  icalcomponent_add_property(event, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
  icalcomponent_add_component(calendar, event);
}

void actions_ics(struct request *r) {
  const char *owner = query_param(r, "owner");
  if (owner != NULL && strcmp(owner, "me") != 0) {
    respond_problem(r, 400, "bad-request", "The feed is of your own actions: owner=me.");
    return;
  }
  const char *params[] = {role_set_has(r->caller.roles, ROLE_ADMIN) ? "admin-queue"
                                                                    : r->caller.sub};
  PGresult *res = request_query(r, &ACTION_OPEN_FOR_OWNER, 1, params);
  if (res == NULL) {
    return;
  }
  icalcomponent *calendar = icalcomponent_new_vcalendar();
  icalcomponent_add_property(calendar, icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar, icalproperty_new_prodid("-//Permanence//Actions//EN"));
  icalcomponent_add_property(calendar, icalproperty_new_method(ICAL_METHOD_PUBLISH));
  for (int i = 0; i < PQntuples(res); i++) {
    add_event(calendar, res, i);
  }
  PQclear(res);
  char *text = icalcomponent_as_ical_string_r(calendar);
  icalcomponent_free(calendar);
  r->status = 200;
  ulfius_set_string_body_response(r->response, 200, text);
  set_header(r, "Content-Type", "text/calendar; charset=utf-8");
  free(text);
}
