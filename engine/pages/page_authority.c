/* page_authority.c — see page_authority.h. */
#include "page_authority.h"

#include <string.h>

#include "account.h"
#include "arena.h"
#include "authority_form.h"
#include "authz.h"
#include "config.h"
#include "db.h"
#include "engine.h"
#include "handler.h"
#include "log.h"
#include "model.h"
#include "page_access.h"
#include "page_instance.h"
#include "page_user.h"
#include "page_refusal.h"

static const struct db_query q_details = { "authority_details",
	"SELECT a.official_name, coalesce(a.informal_title, ''), a.country, c.name,"
	"       coalesce(a.address, ''), coalesce(a.phone, ''), coalesce(a.email, ''),"
	"       coalesce(a.website, ''), a.authority_type, a.is_nimic OR a.is_access_manager"
	"       OR a.is_helpdesk, a.is_helpdesk, to_char(a.created_at, 'YYYY-MM-DD')"
	"  FROM authorities a JOIN countries c ON c.code = a.country WHERE a.id = $1", 1 };
static const struct db_query q_managers = { "authority_managers",
	"SELECT a.id, a.official_name, a.country, to_char(am.added_at, 'YYYY-MM-DD')"
	"  FROM authority_managers am JOIN authorities a ON a.id = am.manager_id"
	" WHERE am.authority_id = $1 ORDER BY a.official_name", 1 };
static const struct db_query q_administrators = { "authority_administrators",
	"SELECT u.first_name || ' ' || u.last_name, u.email FROM users u"
	"  JOIN user_roles r ON r.user_id = u.id AND r.module = '' AND r.role = 'administrator'"
	" WHERE u.authority_id = $1 AND u.deleted_at IS NULL ORDER BY u.last_name, u.first_name", 1 };
/* The history of updates: edits, and the transitions of the authority and its accesses. */
static const struct db_query q_updates = { "authority_updates",
	"SELECT to_char(x.at, 'YYYY-MM-DD HH24:MI'), x.what, x.detail,"
	"       coalesce(u.first_name || ' ' || u.last_name, ''), coalesce(a.official_name, ''), x.kind"
	"  FROM (SELECT at, user_id, actor_authority_id, what, array_to_string(fields, ', ') detail,"
	"               'fields' kind"
	"          FROM authority_updates WHERE authority_id = $1"
	/* Older registrations wrote a "registered" row besides the lifecycle's event. */
	"           AND what <> 'registered'"
	"        UNION ALL"
	"        SELECT h.at, h.actor_user_id, h.actor_authority_id, h.event,"
	"               CASE WHEN i.definition = 'module-access' THEN coalesce((SELECT m.name"
	"                 FROM modules m WHERE m.code = i.module), i.module) ELSE '' END,"
	"               CASE WHEN i.definition = 'module-access' THEN 'module' ELSE '' END"
	"          FROM wf_instances i JOIN wf_history h ON h.instance_id = i.id"
	"         WHERE i.authority_id = $1 AND i.definition IN ('authority', 'module-access')"
	"           AND h.event <> 'start') x"
	"  LEFT JOIN users u ON u.id = x.user_id LEFT JOIN authorities a ON a.id = x.actor_authority_id"
	" ORDER BY x.at DESC LIMIT 200", 1 };
static const struct db_query q_add_manager = { "authority_add_manager",
	"INSERT INTO authority_managers (authority_id, manager_id, added_by) VALUES ($1, $2, $3)"
	" ON CONFLICT DO NOTHING RETURNING 1", 3 };
static const struct db_query q_manager_role = { "authority_manager_role",
	"UPDATE authorities SET is_access_manager = $2 WHERE id = $1"
	" AND is_access_manager IS DISTINCT FROM $2 RETURNING 1", 2 };
static const struct db_query q_set_instance = { "authority_set_instance",
	"UPDATE authorities SET instance_id = $2 WHERE id = $1", 2 };
static const struct db_query q_me = { "authority_me",
	"SELECT country, is_helpdesk FROM authorities WHERE id = $1", 1 };

static const char *const tabs[] = { "authority", "classification", "modules", "users", "management",
	NULL };

static const char *
id_str(struct hctx *ctx, long long id)
{
	return arena_printf(ctx->a, "%lld", id);
}

/* <authority> with its details; 0 or -1. */
static int
details_model(struct hctx *ctx, xmlNodePtr parent, const struct authz_authority *z,
    xmlNodePtr *out)
{
	const char *params[1] = { id_str(ctx, z->id) };
	xmlNodePtr n;
	PGresult *r;

	if ((r = db_exec(ctx->db, ctx->a, &q_details, params)) == NULL || PQntuples(r) != 1)
		return -1;
	n = model_add(parent, "authority", NULL);
	model_attrf(n, "id", "%lld", z->id);
	model_attr(n, "official-name", db_value(r, 0, 0));
	model_attr(n, "informal-title", db_value(r, 0, 1));
	model_attr(n, "country", db_value(r, 0, 2));
	model_attr(n, "country-name", db_value(r, 0, 3));
	model_attr(n, "address", db_value(r, 0, 4));
	model_attr(n, "phone", db_value(r, 0, 5));
	model_attr(n, "email", db_value(r, 0, 6));
	model_attr(n, "website", db_value(r, 0, 7));
	model_attr(n, "type", db_value(r, 0, 8));
	model_attr(n, "access-manager", db_bool(r, 0, 9) ? "true" : "false");
	model_attr(n, "helpdesk", db_bool(r, 0, 10) ? "true" : "false");
	model_attr(n, "registered", db_value(r, 0, 11));
	model_attr(n, "state", z->state);
	model_attr(n, "rev", z->rev);
	if (z->may_manage)
		model_attr(n, "may-manage", "true");
	if (z->may_edit)
		model_attr(n, "may-edit", "true");
	if (z->is_own)
		model_attr(n, "own", "true");
	*out = n;
	return 0;
}

static int
management_model(struct hctx *ctx, xmlNodePtr parent, const struct authz_authority *z)
{
	const char *params[1] = { id_str(ctx, z->id) };
	xmlNodePtr list, n;
	PGresult *r;
	int mine = 0;

	if ((r = db_exec(ctx->db, ctx->a, &q_managers, params)) == NULL)
		return -1;
	list = model_add(parent, "managers", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(list, "manager", db_value(r, i, 1));
		model_attr(n, "id", db_value(r, i, 0));
		model_attr(n, "country", db_value(r, i, 2));
		model_attr(n, "since", db_value(r, i, 3));
		mine |= db_int(r, i, 0) == ctx->sess->authority_id;
	}
	if (z->may_manage && !mine && !z->is_own)
		model_attr(list, "may-add-own", "true");
	if (ctx->sess->is_helpdesk && ctx->sess->is_admin)
		model_attr(list, "may-assign-role", "true");
	if ((r = db_exec(ctx->db, ctx->a, &q_administrators, params)) == NULL)
		return -1;
	list = model_add(parent, "administrators", NULL);
	for (int i = 0; i < PQntuples(r); i++)
		model_attr(model_add(list, "administrator", db_value(r, i, 0)), "email",
		    db_value(r, i, 1));
	if ((r = db_exec(ctx->db, ctx->a, &q_updates, params)) == NULL)
		return -1;
	list = model_add(parent, "updates", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(list, "update", NULL);
		model_attr(n, "at", db_value(r, i, 0));
		model_attr(n, "what", db_value(r, i, 1));
		model_attr(n, "detail", db_value(r, i, 2));
		model_attr(n, "user", db_value(r, i, 3));
		model_attr(n, "authority", db_value(r, i, 4));
		model_attr(n, "detail-kind", db_value(r, i, 5));
	}
	return 0;
}

static int
in_list(const char *const *list, const char *v)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], v) == 0)
			return 1;
	return 0;
}

/* The authority page; errs and form re-show a refused grant or settings form. */
int
authority_page(struct hctx *ctx, long long id, const char *tab, xmlNodePtr refused)
{
	static const char *const lifecycle[] = { "validate", "reject", "deactivate", "reactivate", NULL };
	struct authz_authority z;
	xmlNodePtr page, auth;

	if (!in_list(tabs, tab))
		return 404;
	if (authz_authority(ctx, id, &z) == -1)
		return 500;
	if (!z.found || (strcmp(z.state, "active") != 0 && !z.may_view_private && !z.may_manage))
		return 404;
	if ((page = page_model(ctx, "authority")) == NULL)
		return 500;
	model_attr(page, "tab", tab);
	if (details_model(ctx, page, &z, &auth) == -1)
		return 500;
	if (z.may_manage && z.instance_id > 0 &&
	    page_instance_actions(ctx, page, z.instance_id, lifecycle,
	    arena_printf(ctx->a, "/authorities/%lld", id)) == -1)
		return 500;
	if (strcmp(tab, "modules") == 0 && page_access_model(ctx, page, &z) == -1)
		return 500;
	if (strcmp(tab, "users") == 0) {
		if (!z.may_edit)
			return 404;
		if (page_user_list_model(ctx, page, &z) == -1)
			return 500;
	}
	if (strcmp(tab, "management") == 0) {
		if (!z.may_view_private && !z.may_manage)
			return 404;
		if (management_model(ctx, page, &z) == -1)
			return 500;
	}
	if (refused != NULL)
		xmlAddChild(page, refused);
	return page_render(ctx, page);
}

int
page_authority(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]);

	/* ctx->refused: a tab's form refused, shown again on the tab it came from (ctx->show). */
	return id < 0 ? 404 : authority_page(ctx, id, ctx->args[1] ? ctx->args[1] : "authority",
	    ctx->refused);
}

int
page_my_authority(struct hctx *ctx)
{
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/authorities/%lld",
	    ctx->sess->authority_id)) == -1 ? 500 : 0;
}

static int
edit_page(struct hctx *ctx, const struct authz_authority *z, const struct authority_fields *f,
    const struct form_errors *errs)
{
	xmlNodePtr page, form, auth;

	if ((page = page_model(ctx, "authority-edit")) == NULL)
		return 500;
	if (details_model(ctx, page, z, &auth) == -1)
		return 500;
	form = form_model(page, "edit", errs);
	if (f != NULL)
		authority_fields_model(form, f, errs);
	if (form_choices_model(ctx->db, ctx->a, page) == -1)
		return 500;
	return page_render(ctx, page);
}

int
page_authority_edit_form(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]);
	struct authz_authority z;
	int rc;
	struct authority_fields f;
	const char *params[1];
	PGresult *r;

	if ((rc = authz_authority_arg(ctx, ctx->args[0], &z)) != 0)
		return rc;
	if (!z.may_edit)
		return authz_refuse(ctx, "error.authority.edit-forbidden");
	params[0] = id_str(ctx, id);
	if ((r = db_exec(ctx->db, ctx->a, &q_details, params)) == NULL || PQntuples(r) != 1)
		return 500;
	f = (struct authority_fields){ db_value(r, 0, 0), db_value(r, 0, 1), db_value(r, 0, 2),
	    db_value(r, 0, 4), db_value(r, 0, 5), db_value(r, 0, 6), db_value(r, 0, 7),
	    db_value(r, 0, 8) };
	return edit_page(ctx, &z, &f, NULL);
}

int
page_authority_edit(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]);
	struct authz_authority z;
	int rc;
	struct authority_fields f;
	struct form_errors errs = { 0 };
	const char *params[1];
	PGresult *r;
	int changed;

	if ((rc = authz_authority_arg(ctx, ctx->args[0], &z)) != 0)
		return rc;
	if (!z.may_edit)
		return authz_refuse(ctx, "error.authority.edit-forbidden");
	authority_fields_read(ctx->req, &f);
	if (authority_fields_check(ctx->db, ctx->a, &f, id, &errs) == -1)
		return 500;
	/* Only the helpdesk moves an authority to another country or makes it the NIMIC. */
	if (!ctx->sess->is_helpdesk && strcmp(f.country, z.country) != 0)
		form_error(&errs, "country", "fixed");
	params[0] = id_str(ctx, id);
	if ((r = db_exec(ctx->db, ctx->a, &q_details, params)) == NULL || PQntuples(r) != 1)
		return 500;
	if (!ctx->sess->is_helpdesk &&
	    (strcmp(f.authority_type, "nimic") == 0) != (strcmp(db_value(r, 0, 8), "nimic") == 0))
		form_error(&errs, "authority_type", "nimic");
	if (errs.n > 0) {
		ctx->resp->status = 422;
		return edit_page(ctx, &z, &f, &errs);
	}
	if (db_begin(ctx->db) == -1 ||
	    authority_update(ctx->db, ctx->a, id, &f, ctx->sess->user_id, ctx->sess->authority_id,
	    &changed) == -1 || db_commit(ctx->db) == -1)
		return 500;
	log_info("user %lld edited authority %lld: %d fields", ctx->sess->user_id, id, changed);
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/authorities/%lld", id)) == -1 ? 500 : 0;
}

int
page_authority_add_manager(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]);
	struct authz_authority z;
	int rc;
	const char *params[3];
	PGresult *r;

	if ((rc = authz_authority_arg(ctx, ctx->args[0], &z)) != 0)
		return rc;
	if (!z.may_manage)
		return authz_refuse(ctx, "error.authority.manage-forbidden");
	params[0] = id_str(ctx, id);
	params[1] = id_str(ctx, ctx->sess->authority_id);
	params[2] = id_str(ctx, ctx->sess->user_id);
	if (db_begin(ctx->db) == -1 || (r = db_exec(ctx->db, ctx->a, &q_add_manager, params)) == NULL ||
	    (PQntuples(r) == 1 && authority_record(ctx->db, ctx->a, id, ctx->sess->user_id,
	    ctx->sess->authority_id, "access-manager-added", NULL) == -1) ||
	    db_commit(ctx->db) == -1)
		return 500;
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/authorities/%lld/management", id)) == -1
	    ? 500 : 0;
}

int
page_authority_manager_role(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]);
	const char *v = http_form(ctx->req, "access_manager");
	struct authz_authority z;
	int rc;
	const char *params[2];
	PGresult *r;

	if ((rc = authz_authority_arg(ctx, ctx->args[0], &z)) != 0)
		return rc;
	/* Seed 002: "The 'Access manager' role to authorities is assigned directly by the IMI Helpdesk." */
	if (!ctx->sess->is_helpdesk || !ctx->sess->is_admin)
		return authz_refuse(ctx, "error.authority.helpdesk-only");
	if (v == NULL || (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0))
		return 400;
	params[0] = id_str(ctx, id);
	params[1] = strcmp(v, "yes") == 0 ? "true" : "false";
	if (db_begin(ctx->db) == -1 || (r = db_exec(ctx->db, ctx->a, &q_manager_role, params)) == NULL ||
	    (PQntuples(r) == 1 && authority_record(ctx->db, ctx->a, id, ctx->sess->user_id,
	    ctx->sess->authority_id, strcmp(v, "yes") == 0 ? "access-manager-role-assigned" :
	    "access-manager-role-removed", NULL) == -1) || db_commit(ctx->db) == -1)
		return 500;
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/authorities/%lld/management", id)) == -1
	    ? 500 : 0;
}

static int
register_page(struct hctx *ctx, const struct authority_fields *f,
    const struct first_user_fields *u, const struct form_errors *errs)
{
	xmlNodePtr page, form;

	if ((page = page_model(ctx, "register")) == NULL)
		return 500;
	form = form_model(page, "register", errs);
	if (f != NULL) {
		authority_fields_model(form, f, errs);
		first_user_fields_model(form, u, errs);
	}
	if (form_choices_model(ctx->db, ctx->a, page) == -1)
		return 500;
	return page_render(ctx, page);
}

static int
may_register(struct hctx *ctx)
{
	int m = authz_access_manager(ctx);

	if (m == 0)
		ctx->error_detail = "error.authority.manage-forbidden";
	return m == -1 ? 500 : m == 0 ? 403 : 0;
}

int
page_register_form(struct hctx *ctx)
{
	int rc = may_register(ctx);

	return rc != 0 ? rc : register_page(ctx, NULL, NULL, NULL);
}

/*
 * Creates the authority, its first user (Administrator, temporary password
 * mailed now or at validation) and its lifecycle instance, fired with event
 * by actor.  Inside the caller's transaction.  Returns the authority id, 0
 * when the guard refused (out says why), -1 on error.
 */
long long
authority_create(struct hctx *ctx, const struct authority_fields *f,
    const struct first_user_fields *u, int mail_password, const struct wf_actor *by,
    const char *event, long long manager_id, const char **username, long long *user_id,
    struct wf_outcome *out)
{
	struct account_new n;
	enum account_taken taken;
	struct wf_actor actor = *by;
	const char *params[3];
	long long id, uid, iid;

	if ((id = authority_insert(ctx->db, ctx->a, f)) == -1)
		return -1;
	n = (struct account_new){ id, u->username[0] ? u->username : NULL, u->email, u->first_name,
	    u->last_name, u->language, 1, mail_password, by, ctx->req->remote_addr };
	if ((uid = account_create(ctx->db, ctx->a, ctx->cfg, &n, username, &taken)) <= 0)
		return -1;    /* checked before: a race lost */
	*user_id = uid;
	if (actor.user_id == 0)
		actor = (struct wf_actor){ WF_ACTOR_USER, uid, id };
	if ((iid = wf_start_tx(ctx->db, ctx->a, ctx->cfg, &actor, "authority", id, "")) == -1)
		return -1;
	params[0] = id_str(ctx, id);
	params[1] = id_str(ctx, iid);
	if (db_exec(ctx->db, ctx->a, &q_set_instance, params) == NULL)
		return -1;
	if (manager_id > 0) {
		params[1] = id_str(ctx, manager_id);
		params[2] = actor.user_id == uid ? NULL : id_str(ctx, actor.user_id);
		if (db_exec(ctx->db, ctx->a, &q_add_manager, params) == NULL)
			return -1;
	}
	wf_fire_tx(ctx->db, ctx->a, ctx->cfg, &actor, iid, 0, event, NULL, out);
	if (out->result == WF_FORBIDDEN)
		return 0;
	/* The history shows the lifecycle's register or self-register event: no row of its own. */
	if (out->result != WF_OK)
		return -1;
	return id;
}

int
page_register(struct hctx *ctx)
{
	struct authority_fields f;
	struct first_user_fields u;
	struct form_errors errs = { 0 };
	struct wf_actor me = { WF_ACTOR_USER, ctx->sess->user_id, ctx->sess->authority_id };
	struct wf_outcome out;
	const char *params[1], *username = NULL;
	long long uid;
	xmlNodePtr page, done;
	PGresult *r;
	long long id;
	int rc = may_register(ctx);

	if (rc != 0)
		return rc;
	authority_fields_read(ctx->req, &f);
	first_user_fields_read(ctx->req, &u);
	if (authority_fields_check(ctx->db, ctx->a, &f, 0, &errs) == -1 ||
	    first_user_fields_check(ctx->db, ctx->a, &u, 0, &errs) == -1)
		return 500;
	params[0] = id_str(ctx, ctx->sess->authority_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_me, params)) == NULL)
		return 500;
	/* Access Managers register in their own country; the helpdesk in any. */
	if (!db_bool(r, 0, 1) && strcmp(f.country, db_value(r, 0, 0)) != 0)
		form_error(&errs, "country", "own-country");
	if (strcmp(f.authority_type, "nimic") == 0 && !db_bool(r, 0, 1))
		form_error(&errs, "authority_type", "nimic");
	if (errs.n > 0) {
		ctx->resp->status = 422;
		return register_page(ctx, &f, &u, &errs);
	}
	if (db_begin(ctx->db) == -1)
		return 500;
	if ((id = authority_create(ctx, &f, &u, 1, &me, "register", ctx->sess->authority_id, &username,
	    &uid, &out)) <= 0) {
		db_rollback(ctx->db);
		if (id == 0) {
			return page_refused(ctx, &out);
		}
		return 500;
	}
	if (db_commit(ctx->db) == -1)
		return 500;
	log_info("user %lld registered authority %lld with first user %s", ctx->sess->user_id, id,
	    username);
	/* The username is shown here, once, to be passed on outside mail (seed 001 §2.1.1). */
	if ((page = page_model(ctx, "registered")) == NULL)
		return 500;
	done = model_add(page, "registered", NULL);
	model_attrf(done, "authority", "%lld", id);
	model_attr(done, "name", f.official_name);
	model_attr(done, "username", username);
	model_attr(done, "email", u.email);
	return page_render(ctx, page);
}
