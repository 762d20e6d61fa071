/*
 * request_actions.h — the registry's actions of workflows/information-
 * request.xml: the changes to the request's row that a transition makes
 * (dates, responder, allocated handler, closure, retention).  Each runs
 * inside the firing transaction and returns 0, 1 when an input is refused
 * (wf_refuse: the form again), or -1 (which rolls it back).
 */
#ifndef IMIFLOW_REQUEST_ACTIONS_H
#define IMIFLOW_REQUEST_ACTIONS_H

struct arena;
struct db;
struct wf_fire;

/*
 * Writes "remind-at", two days before the request's agreed (else asked) reply
 * date, into its instance's data, for the reply reminder; queued with the
 * caller's next statement.  0 or -1.
 */
int request_remind_at(struct db *db, struct arena *a, long long instance_id);

int act_accept_request(struct wf_fire *f);
int act_forward_request(struct wf_fire *f);
int act_allocate_request(struct wf_fire *f);
int act_follow_up_request(struct wf_fire *f);
int act_split_request(struct wf_fire *f);
int act_close_request(struct wf_fire *f);
int act_block_personal_data(struct wf_fire *f);
int act_delete_personal_data(struct wf_fire *f);
int act_edit_request(struct wf_fire *f);

#endif
