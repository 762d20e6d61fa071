/* password_actions.c — see password_actions.h. */
#include "password_actions.h"

#include "account.h"
#include "arena.h"
#include "config.h"
#include "db.h"
#include "engine.h"
#include "model.h"
#include "outbox.h"

static const struct db_query q_sync = { "password_life_sync",
	"UPDATE users u SET password_state = i.state FROM wf_instances i"
	" WHERE i.id = $1 AND u.password_instance_id = i.id", 1 };
static const struct db_query q_holder = { "password_life_holder",
	"SELECT u.id, u.email, u.language, u.first_name || ' ' || u.last_name,"
	"       to_char(u.password_changed_at + interval '6 months', 'YYYY-MM-DD')"
	"  FROM users u WHERE u.password_instance_id = $1 AND u.deleted_at IS NULL", 1 };
static const struct db_query q_end_sessions = { "password_life_end_sessions",
	"DELETE FROM sessions WHERE user_id = $1", 1 };
static const struct db_query q_blocked_at = { "password_life_blocked_at",
	"SELECT to_char(imi_now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI \"UTC\"')", 0 };
/* A reset also ends the username's run of failed sign-ins: the new password works at once. */
static const struct db_query q_forget = { "password_life_forget",
	"DELETE FROM login_throttle t USING users u"
	" WHERE u.id = $1 AND t.kind = 'username' AND t.key = lower(u.username)", 1 };

int
act_sync_password_state(struct wf_fire *f)
{
	const char *params[1] = { arena_printf(f->a, "%lld", f->instance_id) };

	return db_exec(f->db, f->a, &q_sync, params) == NULL ? -1 : 0;
}

int
act_reset_password(struct wf_fire *f)
{
	const char *params[1] = { arena_printf(f->a, "%lld", f->instance_id) };
	PGresult *r;

	if ((r = db_exec(f->db, f->a, &q_holder, params)) == NULL || PQntuples(r) != 1)
		return -1;
	/* The old password and every session end; the new one comes by mail. */
	if (account_send_password(f->db, f->a, f->cfg, db_int(r, 0, 0), "reset") == -1)
		return -1;
	params[0] = db_value(r, 0, 0);
	if (db_exec(f->db, f->a, &q_end_sessions, params) == NULL ||
	    db_exec(f->db, f->a, &q_forget, params) == NULL)
		return -1;
	return act_sync_password_state(f);
}

int
act_mail_password_reminder(struct wf_fire *f)
{
	const char *params[1] = { arena_printf(f->a, "%lld", f->instance_id) };
	xmlNodePtr mail;
	PGresult *r;

	if ((r = db_exec(f->db, f->a, &q_holder, params)) == NULL)
		return -1;
	if (PQntuples(r) != 1)
		return 0;
	if ((mail = model_new(f->a, "mail")) == NULL)
		return -1;
	model_attr(mail, "template", "password-reminder");
	model_add(mail, "name", db_value(r, 0, 3));
	model_add(mail, "expires", db_value(r, 0, 4));
	model_add(mail, "url", arena_printf(f->a, "%s/password", f->cfg->base_url));
	return outbox_enqueue(f->db, f->a, db_value(r, 0, 1), db_value(r, 0, 2), mail, NULL);
}

int
act_mail_password_blocked(struct wf_fire *f)
{
	const char *params[1] = { arena_printf(f->a, "%lld", f->instance_id) };
	xmlNodePtr mail;
	PGresult *r, *at;

	if ((r = db_exec(f->db, f->a, &q_holder, params)) == NULL ||
	    (at = db_exec(f->db, f->a, &q_blocked_at, NULL)) == NULL)
		return -1;
	if (PQntuples(r) != 1)
		return 0;
	if ((mail = model_new(f->a, "mail")) == NULL)
		return -1;
	model_attr(mail, "template", "password-blocked");
	model_add(mail, "name", db_value(r, 0, 3));
	model_add(mail, "blocked", db_value(at, 0, 0));
	return outbox_enqueue(f->db, f->a, db_value(r, 0, 1), db_value(r, 0, 2), mail, NULL);
}
