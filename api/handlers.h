/* The request handlers, one file per resource (api/<resource>.c). Each answers through the
 * helpers of http.h; the dispatcher has already authenticated the caller. */
#ifndef API_HANDLERS_H
#define API_HANDLERS_H

#include "http.h"

/* ops.c */
void ops_healthz(struct request *r);
void ops_readyz(struct request *r);
void ops_metrics(struct request *r);
void ops_openapi(struct request *r);

/* me.c */
void me_get(struct request *r);

/* people.c */
void people_create(struct request *r);
void people_list(struct request *r);
void people_get(struct request *r);
void people_patch(struct request *r);

/* children.c */
void children_create(struct request *r);
void children_list(struct request *r);
void children_get(struct request *r);
void children_candidate_carers(struct request *r);
void children_patch(struct request *r);
void children_upsert(struct request *r);

/* carers.c */
void carers_create(struct request *r);
void carers_list(struct request *r);
void carers_get(struct request *r);
void carers_patch(struct request *r);
void carers_upsert(struct request *r);

/* carer_submissions.c, carer_submission_decisions.c */
void carer_submissions_create(struct request *r);
void carer_submissions_list_for_agency(struct request *r);
void carer_submissions_get(struct request *r);
void carer_submissions_add_version(struct request *r);
void carer_submissions_get_version(struct request *r);
void carer_submissions_list(struct request *r);
void carer_submissions_accept(struct request *r);
void carer_submissions_return(struct request *r);

/* allocations.c */
void allocations_create_for_child(struct request *r);
void allocations_list_for_child(struct request *r);
void allocations_create_for_carer(struct request *r);
void allocations_list_for_carer(struct request *r);

/* documents.c */
void documents_add_for_child(struct request *r);
void documents_list_for_child(struct request *r);
void documents_add_for_carer(struct request *r);
void documents_list_for_carer(struct request *r);

/* matches.c */
void matches_create(struct request *r);
void matches_list(struct request *r);
void matches_get(struct request *r);
void matches_propose(struct request *r);
void sibling_groups_create(struct request *r);
void sibling_groups_get(struct request *r);
void matches_withdraw(struct request *r);
void matches_record_fee_discussion(struct request *r);
void matches_submit(struct request *r);
void matches_decide(struct request *r);
void matches_record_decision_circulated(struct request *r);
void matches_letter(struct request *r);
void matches_certificate(struct request *r);

/* panels.c */
void panels_create(struct request *r);
void panels_list(struct request *r);
void panels_get(struct request *r);
void panels_add_member(struct request *r);
void panels_record_attendance(struct request *r);
void panels_add_item(struct request *r);
void panels_list_items(struct request *r);
void panels_get_item(struct request *r);
void panels_circulate_papers(struct request *r);
void panels_accept_late_papers(struct request *r);
void panels_record_recommendation(struct request *r);

/* placements.c */
void placements_create(struct request *r);
void placements_get(struct request *r);
void placements_end(struct request *r);
void placements_list_for_child(struct request *r);
void placements_upsert(struct request *r); /* placement_sync.c */

/* meetings.c, meeting_steps.c, meeting_plan.c */
void meetings_create(struct request *r);
void meetings_list(struct request *r);
void meetings_get(struct request *r);
void meetings_hold(struct request *r);
void meetings_record_minutes(struct request *r);
void meetings_circulate(struct request *r);
void meetings_add_actions(struct request *r);

/* stability.c */
void stability_requests_create(struct request *r);

/* carer_notice.c */
void placements_record_carer_wish(struct request *r);
void placements_record_notice_discussion(struct request *r);
void placements_give_notice(struct request *r);

/* endings.c */
void placements_waive_unplanned_meeting(struct request *r);

/* reviews.c */
void children_review_schedule(struct request *r);
void reports_permanence_plans_due(struct request *r);

/* reports.c, report_panel.c (E1, U3, P6, compliance) */
void reports_stability(struct request *r);
void reports_breakdowns(struct request *r);
void reports_compliance(struct request *r);
void reports_panel(struct request *r);

/* support_requests.c */
void support_requests_create(struct request *r);

/* chronology.c */
void chronology_for_child(struct request *r);
void chronology_for_carer(struct request *r);

/* event_feed.c */
void events_list(struct request *r);

/* webhooks.c */
void webhooks_create(struct request *r);
void webhooks_list(struct request *r);
void webhooks_get(struct request *r);
void webhooks_deactivate(struct request *r);
void webhook_deliveries_list(struct request *r);
void webhook_deliveries_resend(struct request *r);

/* settings.c */
void settings_get(struct request *r);
void settings_patch(struct request *r);

/* calendar.c */
void calendar_closures_list(struct request *r);
void calendar_closures_create(struct request *r);
void calendar_closures_delete(struct request *r);

/* actions.c, actions_ics.c */
void actions_create(struct request *r);
void actions_list(struct request *r);
void actions_get(struct request *r);
void actions_complete(struct request *r);
void actions_cancel(struct request *r);
void actions_reassign(struct request *r);
void actions_sweep(struct request *r);
void actions_ics(struct request *r);

/* ssda903_import.c, ssda903_export.c: SSDA903 episodes in and out (issue 8) */
void ssda903_import(struct request *r);
void ssda903_export_episodes(struct request *r);

/* audit.c */
void audit_list(struct request *r);
void audit_verify(struct request *r);

#endif
