/*
 * authority_actions.h — the registry's actions of the authority lifecycle
 * (workflows/authority.xml, module-access.xml): C because they touch users,
 * roles and mail beyond the instance.  Each runs inside the firing
 * transaction (see engine.h's struct wf_fire) and returns 0 or -1; each acts
 * only on its instance's own subject and refuses any other (wf_forbid).
 */
#ifndef IMIFLOW_AUTHORITY_ACTIONS_H
#define IMIFLOW_AUTHORITY_ACTIONS_H

struct wf_fire;

/* Every Administrator of the access's authority gets all user roles of its module. */
int act_grant_module_roles(struct wf_fire *f);
/* Users of the authority who never had a password get a temporary one by mail. */
int act_send_first_password(struct wf_fire *f);
/* The authority's users learn that its registration was rejected, and why. */
int act_notify_rejection(struct wf_fire *f);
/* Removes the authority's personal data and users; its anonymous history stays. */
int act_remove_authority_data(struct wf_fire *f);

#endif
