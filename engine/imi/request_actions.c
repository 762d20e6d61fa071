/* request_actions.c — see request_actions.h. */
#include "request_actions.h"

#include <stddef.h>
#include <string.h>

#include "arena.h"
#include "authority_form.h"
#include "db.h"
#include "engine.h"
#include "http.h"
#include "log.h"
#include "pgarray.h"
#include "request_form.h"
#include "workflow.h"


/*
 * The day of the reply reminder, two days before the date agreed (else the
 * one asked), in the instance's data, where <start-timer from="remind-at">
 * reads it.
 */
static const struct db_query q_remind_at = { "request_remind_at",
	"UPDATE wf_instances i SET data = i.data || jsonb_build_object('remind-at',"
	"   to_char(coalesce(r.agreed_date, r.reply_date) - 2, 'YYYY-MM-DD'))"
	"  FROM requests r WHERE r.instance_id = $1 AND i.id = $1", 1 };
/* $2 empty keeps the date the requester asked for. */
static const struct db_query q_accept = { "request_accept",
	"UPDATE requests SET agreed_date = coalesce(nullif($2, '')::date, reply_date)"
	" WHERE instance_id = $1", 2 };
static const struct db_query q_follow_up = { "request_follow_up",
	"UPDATE requests SET agreed_date = $2::date, reply_date = $2::date WHERE instance_id = $1", 2 };
/* Another authority answers: active, with an active access to the module, not the requester. */
static const struct db_query q_forward = { "request_forward",
	"UPDATE requests SET responder_id = $2, allocated_user_id = NULL, agreed_date = NULL"
	" WHERE instance_id = $1 AND $2 <> requester_id AND $2 <> responder_id"
	"   AND module_access_active($2, module) RETURNING id", 2 };
/* A Handler of the responder in the request's module. */
static const struct db_query q_allocate = { "request_allocate",
	"UPDATE requests r SET allocated_user_id = $2 WHERE r.instance_id = $1"
	"   AND EXISTS (SELECT 1 FROM users u JOIN user_roles ur ON ur.user_id = u.id"
	"                WHERE u.id = $2 AND u.authority_id = r.responder_id AND u.deleted_at IS NULL"
	"                  AND ur.module = r.module AND ur.role = 'handler') RETURNING id", 2 };
static const struct db_query q_close = { "request_close",
	"UPDATE requests SET closed_at = imi_now() WHERE instance_id = $1", 1 };
/* Retention: what is personal data, and how it goes, is sql/016_retention_personal.sql. */
static const struct db_query q_block = { "request_block",
	"SELECT request_block_personal_data($1, $2::text[])", 2 };
static const struct db_query q_delete = { "request_delete_personal",
	"SELECT request_delete_personal_data($1, $2::text[])", 2 };
static const struct db_query q_edit_of = { "request_edit_of",
	"SELECT module, requester_id FROM requests WHERE instance_id = $1", 1 };
/* Documents the author removes from the draft. */
static const struct db_query q_remove_documents = { "request_remove_documents",
	"DELETE FROM wf_documents WHERE instance_id = $1 AND id::text = ANY ($2::text[])", 2 };
static const struct db_query q_split_lock = { "request_split_lock",
	"SELECT id, module, requester_id FROM requests WHERE instance_id = $1 FOR UPDATE", 1 };
/* The child: same requester, subject, context and person; another responder. */
static const struct db_query q_split_child = { "request_split_child",
	"INSERT INTO requests (instance_id, module, requester_id, responder_id, parent_id, subject,"
	"   context, person_name, person_birth_date, person_nationality, person_registration,"
	"   reply_date, no_personal_texts)"
	" SELECT $2, module, requester_id, $3, id, subject, context, person_name, person_birth_date,"
	"        person_nationality, person_registration, reply_date, no_personal_texts"
	"   FROM requests WHERE id = $1 AND module_access_active($3, module)"
	"    AND $3 NOT IN (requester_id, responder_id) RETURNING id", 3 };
static const struct db_query q_split_move = { "request_split_move",
	"UPDATE request_questions SET request_id = $2 WHERE request_id = $1 AND code = $3"
	"   RETURNING 1", 3 };
static const struct db_query q_split_left = { "request_split_left",
	"SELECT count(*) FROM request_questions WHERE request_id = $1", 1 };

int
request_remind_at(struct db *db, struct arena *a, long long instance_id)
{
	const char *params[1] = { arena_printf(a, "%lld", instance_id) };

	/* Needs no answer: it travels with the next statement (the timer that reads it). */
	return db_queue(db, a, &q_remind_at, params, NULL);
}

static const char *
input(const struct wf_fire *f, const char *name)
{
	const char *v;

	if (f->in == NULL)
		return "";
	v = http_field_get(f->in->fields, f->in->nfields, name);
	return v != NULL ? v : "";
}

static const char *
iid(const struct wf_fire *f)
{
	return arena_printf(f->a, "%lld", f->instance_id);
}

/*
 * Runs q with the instance and one input.  0; 1 when it changed no row and
 * must_match (the input is refused with rule); -1 on error.
 */
static int
with_input(struct wf_fire *f, const struct db_query *q, const char *name, const char *rule)
{
	const char *params[2] = { iid(f), input(f, name) };
	PGresult *r;

	if ((r = db_exec(f->db, f->a, q, params)) == NULL)
		return -1;
	if (rule != NULL && PQntuples(r) != 1) {
		log_info("request instance %lld: %s refused: \"%s\" = \"%s\" is not possible",
		    f->instance_id, f->t->event, name, params[1]);
		return wf_refuse(f, name, rule);
	}
	return 0;
}

static int
plain(struct wf_fire *f, const struct db_query *q)
{
	const char *params[1] = { iid(f) };

	return db_exec(f->db, f->a, q, params) == NULL ? -1 : 0;
}

int
act_accept_request(struct wf_fire *f)
{
	/* Another date comes with its reason, so the requester reads why. */
	if (input(f, "proposed-date")[0] != '\0' && input(f, "reason")[0] == '\0')
		return wf_refuse(f, "reason", "required");
	if (with_input(f, &q_accept, "proposed-date", NULL) == -1)
		return -1;
	return request_remind_at(f->db, f->a, f->instance_id);
}

int act_forward_request(struct wf_fire *f) { return with_input(f, &q_forward, "authority", "responder"); }
int act_allocate_request(struct wf_fire *f) { return with_input(f, &q_allocate, "handler", "handler"); }
int
act_follow_up_request(struct wf_fire *f)
{
	if (with_input(f, &q_follow_up, "reply-date", NULL) == -1)
		return -1;
	return request_remind_at(f->db, f->a, f->instance_id);
}

int act_close_request(struct wf_fire *f) { return plain(f, &q_close); }
/* Runs a retention step with the free texts of the definition the instance runs. */
static int
retention(struct wf_fire *f, const struct db_query *q)
{
	const char *names[WF_FREE_TEXTS_MAX], *params[2];

	params[0] = iid(f);
	params[1] = pg_text_array(f->a, names, wf_free_texts(f->def, names, WF_FREE_TEXTS_MAX));
	if (params[1] == NULL)
		return -1;
	return db_exec(f->db, f->a, q, params) == NULL ? -1 : 0;
}

int act_block_personal_data(struct wf_fire *f) { return retention(f, &q_block); }
int act_delete_personal_data(struct wf_fire *f) { return retention(f, &q_delete); }

/*
 * The author's edit of a draft: the form's fields (request_form.h), checked
 * as for a new request, each refusal the form's error at its field; the
 * documents named by "remove-document" go.
 */
int
act_edit_request(struct wf_fire *f)
{
	struct form_errors errs = { 0 };
	struct request_fields rf;
	const char *params[2], **gone;
	size_t ngone = 0;
	PGresult *r;
	int rc;

	params[0] = iid(f);
	if ((r = db_exec(f->db, f->a, &q_edit_of, params)) == NULL || PQntuples(r) != 1)
		return -1;
	request_fields_read(f->in ? f->in->fields : NULL, f->in ? f->in->nfields : 0, &rf);
	if ((rc = request_fields_check(f->db, f->a, db_value(r, 0, 0), db_int(r, 0, 1), &rf,
	    &errs)) == -1)
		return -1;
	if (rc == 1)
		return wf_refuse(f, "questions", "choice");
	for (size_t i = 0; i < errs.n; i++)
		(void)wf_refuse(f, errs.e[i].field, errs.e[i].rule);
	if (errs.n > 0)
		return 1;
	if (request_fields_update(f->db, f->a, f->instance_id, &rf) == -1)
		return -1;
	if (f->in != NULL && f->in->nfields > 0) {
		if ((gone = arena_calloc(f->a, f->in->nfields, sizeof(*gone))) == NULL)
			return -1;
		for (size_t k = 0; k < f->in->nfields; k++)
			if (strcmp(f->in->fields[k].name, "remove-document") == 0)
				gone[ngone++] = f->in->fields[k].value;
		params[1] = pg_text_array(f->a, gone, ngone);
		if (ngone > 0 && (params[1] == NULL ||
		    db_exec(f->db, f->a, &q_remove_documents, params) == NULL))
			return -1;
	}
	return request_remind_at(f->db, f->a, f->instance_id);
}

/*
 * The questions named by the form's "question" fields move to a new request
 * (a child instance started by the actor, belonging to the requester) to the
 * authority of the "authority" input, which is sent at once by the system
 * firing "split-off".  At least one question moves and at least one stays.
 */
int
act_split_request(struct wf_fire *f)
{
	struct wf_actor system = { WF_ACTOR_SYSTEM, 0, 0 };
	struct wf_outcome out;
	const char *params[3], *rid;
	PGresult *r, *c;
	long long child;
	int moved = 0;

	params[0] = iid(f);
	if ((r = db_exec(f->db, f->a, &q_split_lock, params)) == NULL || PQntuples(r) != 1)
		return -1;
	rid = db_value(r, 0, 0);
	if ((child = wf_start_tx(f->db, f->a, f->cfg, f->actor, f->def->name, db_int(r, 0, 2),
	    db_value(r, 0, 1))) == -1)
		return -1;
	params[0] = rid;
	params[1] = arena_printf(f->a, "%lld", child);
	params[2] = input(f, "authority");
	if ((c = db_exec(f->db, f->a, &q_split_child, params)) == NULL)
		return -1;
	if (PQntuples(c) != 1)
		return wf_refuse(f, "authority", "responder");
	for (size_t k = 0; f->in != NULL && k < f->in->nfields; k++) {
		if (strcmp(f->in->fields[k].name, "question") != 0)
			continue;
		params[1] = db_value(c, 0, 0);
		params[2] = f->in->fields[k].value;
		if ((r = db_exec(f->db, f->a, &q_split_move, params)) == NULL)
			return -1;
		moved += PQntuples(r);
	}
	if (moved == 0)
		return wf_refuse(f, "question", "split-none");
	if ((r = db_exec(f->db, f->a, &q_split_left, params)) == NULL)
		return -1;
	if (db_int(r, 0, 0) == 0)
		return wf_refuse(f, "question", "split-all");
	if (request_remind_at(f->db, f->a, child) == -1)
		return -1;
	wf_fire_tx(f->db, f->a, f->cfg, &system, child, 0, "split-off", NULL, &out);
	if (out.result != WF_OK) {
		log_warn("request instance %lld: split-off of instance %lld refused: %s",
		    f->instance_id, child, out.detail ? out.detail : "");
		return -1;
	}
	log_info("request instance %lld: %d questions split off to instance %lld",
	    f->instance_id, moved, child);
	return 0;
}
