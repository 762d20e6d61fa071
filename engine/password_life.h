/*
 * password_life.h — a user's password as an instance of workflows/
 * password.xml: started with the account; "change", "block" and "reset"
 * fired by signing in, changing and resetting, inside the caller's
 * transaction; "remind" and "expire" by its timers.  users.password_state
 * mirrors the instance's state, for signing in.
 */
#ifndef IMIFLOW_PASSWORD_LIFE_H
#define IMIFLOW_PASSWORD_LIFE_H

struct arena;
struct config;
struct db;
struct wf_actor;
struct wf_fire;

#define PASSWORD_WORKFLOW "password"

/* Starts the user's password instance (temporary) and links it to the user.  0 or -1. */
int password_life_start(struct db *db, struct arena *a, const struct config *cfg,
    const struct wf_actor *by, long long user_id, long long authority_id);

/*
 * Fires event on the user's password instance as actor.  0 fired, 1 refused
 * (not possible in its state, or the guard says no: logged), -1 error.
 */
int password_life_fire(struct db *db, struct arena *a, const struct config *cfg,
    const struct wf_actor *actor, long long user_id, const char *event);

/* The registry's actions of password.xml (see registry.c). */
int act_sync_password_state(struct wf_fire *f);
int act_reset_password(struct wf_fire *f);
int act_mail_password_reminder(struct wf_fire *f);
int act_mail_password_blocked(struct wf_fire *f);

#endif
