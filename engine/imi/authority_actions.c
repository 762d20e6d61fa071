/* authority_actions.c — see authority_actions.h. */
#include "authority_actions.h"

#include <string.h>

#include "account.h"
#include "arena.h"
#include "config.h"
#include "db.h"
#include "engine.h"
#include "http.h"
#include "model.h"
#include "outbox.h"
#include "workflow.h"

/*
 * The user roles a module has (seed 000 §3.2): Viewer and Handler always,
 * Allocator in request modules, Approver only for a Coordinator.
 */
static const struct db_query q_grant_roles = { "act_grant_roles",
	"INSERT INTO user_roles (user_id, module, role)"
	" SELECT u.id, m.code, r.role FROM wf_instances i"
	"   JOIN module_accesses ma ON ma.instance_id = i.id"
	"   JOIN modules m ON m.code = ma.module"
	"   JOIN users u ON u.authority_id = ma.authority_id AND u.deleted_at IS NULL"
	"   JOIN user_roles ad ON ad.user_id = u.id AND ad.module = '' AND ad.role = 'administrator'"
	"   CROSS JOIN (VALUES ('viewer'), ('handler'), ('allocator'), ('approver')) r(role)"
	"  WHERE i.id = $1"
	"    AND (r.role <> 'allocator' OR m.kind = 'request')"
	"    AND (r.role <> 'approver' OR (ma.role = 'coordinator' AND m.kind <> 'register'))"
	" ON CONFLICT DO NOTHING", 1 };
static const struct db_query q_first_users = { "act_first_users",
	"SELECT u.id FROM wf_instances i JOIN users u ON u.authority_id = i.authority_id"
	" WHERE i.id = $1 AND u.deleted_at IS NULL AND u.password_hash IS NULL ORDER BY u.id", 1 };
static const struct db_query q_users = { "act_users",
	"SELECT u.email, u.language, u.first_name || ' ' || u.last_name, a.official_name"
	"  FROM wf_instances i JOIN authorities a ON a.id = i.authority_id"
	"  JOIN users u ON u.authority_id = a.id AND u.deleted_at IS NULL WHERE i.id = $1", 1 };
/*
 * Deletion (seed 001 §5): users and contact data go; the authority row, its
 * instances and their history stay, pointing at anonymous users.
 */
static const struct db_query q_scrub_users = { "act_scrub_users",
	"WITH gone AS (UPDATE users u SET deleted_at = imi_now(),"
	"       username = 'deleted-' || u.id, email = 'deleted-' || u.id || '@invalid',"
	"       first_name = 'deleted', last_name = 'user', password_hash = NULL,"
	"       password_state = 'blocked'"
	"   FROM wf_instances i WHERE i.id = $1 AND u.authority_id = i.authority_id"
	"   RETURNING u.id),"
	" roles AS (DELETE FROM user_roles WHERE user_id IN (SELECT id FROM gone)),"
	" hist AS (DELETE FROM password_history WHERE user_id IN (SELECT id FROM gone))"
	" DELETE FROM sessions WHERE user_id IN (SELECT id FROM gone)", 1 };
static const struct db_query q_scrub_authority = { "act_scrub_authority",
	"UPDATE authorities a SET email = NULL, phone = NULL, address = NULL, website = NULL,"
	"       deleted_at = imi_now()"
	"  FROM wf_instances i WHERE i.id = $1 AND a.id = i.authority_id", 1 };

/*
 * The subject an action may touch is the instance's own: the authority whose
 * lifecycle instance it is, the module access it records.  Anything else (an
 * instance of the same definition that belongs to an authority without
 * describing it) is refused before any data is touched.
 */
static const struct db_query q_own_authority = { "act_own_authority",
	"SELECT EXISTS (SELECT 1 FROM wf_instances i JOIN authorities a ON a.id = i.authority_id"
	"               WHERE i.id = $1 AND a.instance_id = i.id)", 1 };
static const struct db_query q_own_access = { "act_own_access",
	"SELECT EXISTS (SELECT 1 FROM wf_instances i JOIN module_accesses ma ON ma.instance_id = i.id"
	"               WHERE i.id = $1 AND ma.authority_id = i.authority_id)", 1 };

static const char *
id_text(struct wf_fire *f)
{
	return arena_printf(f->a, "%lld", f->instance_id);
}

/* 0 when the instance is its subject's own (q says), else -1 (refused through wf_forbid, or an error). */
static int
own_subject(struct wf_fire *f, const struct db_query *q, const char *missing)
{
	const char *params[1] = { id_text(f) };
	PGresult *r;

	if ((r = db_exec(f->db, f->a, q, params)) == NULL)
		return -1;
	return db_bool(r, 0, 0) ? 0 : wf_forbid(f, missing);
}

static int
own_authority(struct wf_fire *f)
{
	return own_subject(f, &q_own_authority,
	    "the authority's own lifecycle instance (this one is not)");
}

int
act_grant_module_roles(struct wf_fire *f)
{
	const char *params[1] = { id_text(f) };

	if (own_subject(f, &q_own_access, "the module access's own instance (this one is not)") == -1)
		return -1;
	return db_exec(f->db, f->a, &q_grant_roles, params) == NULL ? -1 : 0;
}

int
act_send_first_password(struct wf_fire *f)
{
	const char *params[1] = { id_text(f) };
	PGresult *r;

	if (own_authority(f) == -1 || (r = db_exec(f->db, f->a, &q_first_users, params)) == NULL)
		return -1;
	for (int i = 0; i < PQntuples(r); i++)
		if (account_send_password(f->db, f->a, f->cfg, db_int(r, i, 0), "validated") == -1)
			return -1;
	return 0;
}

int
act_notify_rejection(struct wf_fire *f)
{
	const char *params[1] = { id_text(f) };
	const char *reason = NULL;
	xmlNodePtr mail;
	PGresult *r;

	for (size_t i = 0; f->in != NULL && i < f->in->nfields; i++)
		if (strcmp(f->in->fields[i].name, "reason") == 0)
			reason = f->in->fields[i].value;
	if (own_authority(f) == -1 || (r = db_exec(f->db, f->a, &q_users, params)) == NULL)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		if ((mail = model_new(f->a, "mail")) == NULL)
			return -1;
		model_attr(mail, "template", "registration-rejected");
		model_add(mail, "name", db_value(r, i, 2));
		model_add(mail, "authority", db_value(r, i, 3));
		model_add(mail, "reason", reason ? reason : "");
		if (outbox_enqueue(f->db, f->a, db_value(r, i, 0), db_value(r, i, 1), mail, NULL) == -1)
			return -1;
	}
	return 0;
}

int
act_remove_authority_data(struct wf_fire *f)
{
	const char *params[1] = { id_text(f) };

	if (own_authority(f) == -1 || db_exec(f->db, f->a, &q_scrub_users, params) == NULL ||
	    db_exec(f->db, f->a, &q_scrub_authority, params) == NULL)
		return -1;
	return 0;
}
