/*
 * password_actions.h — the actions of workflows/password.xml, registered by
 * imi_register(): users.password_state follows the instance; a reset mails a
 * new temporary password and ends the user's sessions; a reminder mail before
 * the password expires; a mail when it is blocked (the sign-in page never says so).
 */
#ifndef IMIFLOW_PASSWORD_ACTIONS_H
#define IMIFLOW_PASSWORD_ACTIONS_H

struct wf_fire;

int act_sync_password_state(struct wf_fire *f);
int act_reset_password(struct wf_fire *f);
int act_mail_password_reminder(struct wf_fire *f);
int act_mail_password_blocked(struct wf_fire *f);

#endif
