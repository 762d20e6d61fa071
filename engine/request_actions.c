/* request_actions.c — see request_actions.h. */
#include "request_actions.h"

#include <stddef.h>

#include "arena.h"
#include "db.h"
#include "engine.h"
#include "http.h"
#include "log.h"
#include "workflow.h"

static const struct db_query q_accept = { "request_accept",
	"UPDATE requests SET agreed_date = coalesce(nullif($2, '')::date, reply_date)"
	" WHERE instance_id = $1", 2 };
/* Another authority answers: active, with an active access to the module, not the requester. */
static const struct db_query q_forward = { "request_forward",
	"UPDATE requests SET responder_id = $2, allocated_user_id = NULL"
	" WHERE instance_id = $1 AND $2 <> requester_id AND $2 <> responder_id"
	"   AND module_access_active($2, module) RETURNING id", 2 };
/* A Handler of the responder in the request's module. */
static const struct db_query q_allocate = { "request_allocate",
	"UPDATE requests r SET allocated_user_id = $2 WHERE r.instance_id = $1"
	"   AND EXISTS (SELECT 1 FROM users u JOIN user_roles ur ON ur.user_id = u.id"
	"                WHERE u.id = $2 AND u.authority_id = r.responder_id AND u.deleted_at IS NULL"
	"                  AND ur.module = r.module AND ur.role = 'handler') RETURNING id", 2 };
static const struct db_query q_follow_up = { "request_follow_up",
	"UPDATE requests SET agreed_date = $2::date, reply_date = $2::date WHERE instance_id = $1", 2 };
static const struct db_query q_close = { "request_close",
	"UPDATE requests SET closed_at = imi_now() WHERE instance_id = $1", 1 };
static const struct db_query q_block = { "request_block",
	"UPDATE requests SET personal_data_blocked_at = imi_now() WHERE instance_id = $1", 1 };
static const struct db_query q_delete = { "request_delete_personal",
	"UPDATE requests SET person_name = NULL, person_birth_date = NULL, person_nationality = NULL,"
	"       person_registration = NULL, personal_data_deleted_at = imi_now()"
	" WHERE instance_id = $1", 1 };

static const char *
input(const struct wf_fire *f, const char *name)
{
	const char *v;

	if (f->in == NULL)
		return "";
	v = http_field_get(f->in->fields, f->in->nfields, name);
	return v != NULL ? v : "";
}

/* Runs q with the instance and one input; 0, or -1 when it changed no row (logged). */
static int
with_input(struct wf_fire *f, const struct db_query *q, const char *name, int must_match)
{
	const char *params[2];
	PGresult *r;

	params[0] = arena_printf(f->a, "%lld", f->instance_id);
	params[1] = input(f, name);
	if ((r = db_exec(f->db, f->a, q, params)) == NULL)
		return -1;
	if (must_match && PQntuples(r) != 1) {
		log_warn("request instance %lld: %s refused: \"%s\" = \"%s\" is not possible",
		    f->instance_id, f->t->event, name, params[1]);
		return -1;
	}
	return 0;
}

static int
plain(struct wf_fire *f, const struct db_query *q)
{
	const char *params[1] = { arena_printf(f->a, "%lld", f->instance_id) };

	return db_exec(f->db, f->a, q, params) == NULL ? -1 : 0;
}

int act_accept_request(struct wf_fire *f) { return with_input(f, &q_accept, "proposed-date", 0); }
int act_forward_request(struct wf_fire *f) { return with_input(f, &q_forward, "authority", 1); }
int act_allocate_request(struct wf_fire *f) { return with_input(f, &q_allocate, "handler", 1); }
int act_follow_up_request(struct wf_fire *f) { return with_input(f, &q_follow_up, "reply-date", 0); }
int act_close_request(struct wf_fire *f) { return plain(f, &q_close); }
int act_block_personal_data(struct wf_fire *f) { return plain(f, &q_block); }
int act_delete_personal_data(struct wf_fire *f) { return plain(f, &q_delete); }
