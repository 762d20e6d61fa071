/* page_user.c — see page_user.h. */
#include "page_user.h"

#include <string.h>

#include "account.h"
#include "arena.h"
#include "auth.h"
#include "authority_form.h"
#include "authz.h"
#include "buf.h"
#include "config.h"
#include "csv.h"
#include "db.h"
#include "engine.h"
#include "handler.h"
#include "http.h"
#include "log.h"
#include "model.h"
#include "password_life.h"
#include "roles.h"
#include "security_log.h"
#include "textcheck.h"

#define MAX_ROLES 128

static const struct db_query q_list = { "user_list",
	"SELECT u.id, u.username, u.first_name, u.last_name, u.email, coalesce(u.phone, ''),"
	"       u.language, CASE WHEN u.last_login_at IS NULL THEN 'new' ELSE 'active' END,"
	"       u.password_state, coalesce(to_char(u.last_login_at, 'YYYY-MM-DD HH24:MI'), ''),"
	"       coalesce((SELECT string_agg(CASE WHEN r.module = '' THEN r.role"
	"                                   ELSE r.module || ':' || r.role END, ' '"
	"                                   ORDER BY r.module, r.role)"
	"                   FROM user_roles r WHERE r.user_id = u.id), '')"
	"  FROM users u WHERE u.authority_id = $1 AND u.deleted_at IS NULL"
	" ORDER BY u.last_name, u.first_name, u.id", 1 };
static const struct db_query q_user = { "user_one",
	"SELECT u.authority_id, u.username, u.first_name, u.last_name, u.email, coalesce(u.phone, ''),"
	"       u.language, CASE WHEN u.last_login_at IS NULL THEN 'new' ELSE 'active' END,"
	"       u.password_state, coalesce(to_char(u.last_login_at, 'YYYY-MM-DD HH24:MI'), ''),"
	"       a.official_name"
	"  FROM users u JOIN authorities a ON a.id = u.authority_id"
	" WHERE u.id = $1 AND u.deleted_at IS NULL", 1 };
static const struct db_query q_user_roles = { "user_roles_of",
	"SELECT r.module, r.role, coalesce(m.name, '') FROM user_roles r"
	"  LEFT JOIN modules m ON m.code = r.module WHERE r.user_id = $1"
	" ORDER BY r.module, r.role", 1 };
static const struct db_query q_allowed = { "user_allowed_roles",
	"SELECT r.module, m.name, r.role FROM module_roles($1) r JOIN modules m ON m.code = r.module", 1 };
static const struct db_query q_clear = { "user_clear_roles",
	"DELETE FROM user_roles WHERE user_id = $1", 1 };
static const struct db_query q_add_role = { "user_add_role",
	"INSERT INTO user_roles (user_id, module, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", 3 };
static const struct db_query q_update = { "user_update",
	"UPDATE users SET first_name = $2, last_name = $3, email = $4, phone = nullif($5, ''),"
	"       language = coalesce(nullif($6, ''), authority_language(authority_id)), username = $7"
	" WHERE id = $1", 7 };
static const struct db_query q_phone = { "user_phone",
	"UPDATE users SET phone = nullif($2, '') WHERE id = $1", 2 };
static const struct db_query q_delete = { "user_delete",
	"WITH gone AS (UPDATE users SET deleted_at = imi_now() WHERE id = $1 RETURNING id),"
	" roles AS (DELETE FROM user_roles WHERE user_id IN (SELECT id FROM gone))"
	" DELETE FROM sessions WHERE user_id IN (SELECT id FROM gone)", 1 };
static const struct db_query q_language = { "user_language",
	"UPDATE users SET language = $2 WHERE id = $1", 2 };

struct role_pick {
	const char *module;   /* "" for administrator */
	const char *role;
};

/* A security log row of the signed-in user's act on user subject. */
static struct seclog_event
seclog(const struct hctx *ctx, enum seclog_kind kind, long long subject, const char *detail)
{
	struct seclog_event e = { kind, ctx->sess->user_id, ctx->sess->authority_id, subject,
	    ctx->req->remote_addr, detail };
	return e;
}

static const char *
num(struct hctx *ctx, long long v)
{
	return arena_printf(ctx->a, "%lld", v);
}

static int
allowed_role(const PGresult *allowed, const char *module, const char *role)
{
	if (module[0] == '\0')
		return strcmp(role, "administrator") == 0;
	for (int i = 0; i < PQntuples(allowed); i++)
		if (strcmp(db_value(allowed, i, 0), module) == 0 &&
		    strcmp(db_value(allowed, i, 2), role) == 0)
			return 1;
	return 0;
}

static int
add_pick(struct role_pick *out, size_t *n, const char *module, const char *role)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(out[i].module, module) == 0 && strcmp(out[i].role, role) == 0)
			return 0;
	if (*n == MAX_ROLES)
		return -1;
	out[*n].module = module;
	out[*n].role = role;
	(*n)++;
	return 0;
}

/*
 * The roles the form asks for: role=MODULE:ROLE or role=administrator, and
 * the one-click all=MODULE (every role of the module) and all=* (every role
 * of the authority).  0, or -1 when one is not allowed here (the form lies).
 */
static int
read_roles(struct hctx *ctx, const PGresult *allowed, struct role_pick *out, size_t *n)
{
	const struct http_req *req = ctx->req;
	const char *v, *colon;

	*n = 0;
	for (size_t i = 0; i < req->nbody; i++) {
		v = req->body_fields[i].value;
		if (strcmp(req->body_fields[i].name, "all") == 0) {
			int any = strcmp(v, "*") == 0;
			if (any && add_pick(out, n, "", "administrator") == -1)
				return -1;
			for (int k = 0; k < PQntuples(allowed); k++)
				if ((any || strcmp(db_value(allowed, k, 0), v) == 0) &&
				    add_pick(out, n, db_value(allowed, k, 0), db_value(allowed, k, 2)) == -1)
					return -1;
			continue;
		}
		if (strcmp(req->body_fields[i].name, "role") != 0)
			continue;
		if (strcmp(v, "administrator") == 0) {
			if (add_pick(out, n, "", "administrator") == -1)
				return -1;
			continue;
		}
		if ((colon = strchr(v, ':')) == NULL)
			return -1;
		const char *module = arena_strndup(ctx->a, v, (size_t)(colon - v));
		if (module == NULL || !allowed_role(allowed, module, colon + 1) ||
		    add_pick(out, n, module, colon + 1) == -1)
			return -1;
	}
	return 0;
}

static int
write_roles(struct hctx *ctx, long long uid, const struct role_pick *picks, size_t n)
{
	const char *params[3] = { num(ctx, uid), NULL, NULL };

	if (db_exec(ctx->db, ctx->a, &q_clear, params) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		params[1] = picks[i].module;
		params[2] = picks[i].role;
		if (db_exec(ctx->db, ctx->a, &q_add_role, params) == NULL)
			return -1;
	}
	return 0;
}

/* <roles> with every role the authority's users may hold, checked where picks has it. */
static void
roles_model(xmlNodePtr parent, const PGresult *allowed, const struct role_pick *picks, size_t n)
{
	xmlNodePtr roles = model_add(parent, "roles", NULL), m = NULL, role;
	const char *last = "";

	role = model_add(roles, "administrator", NULL);
	for (size_t k = 0; k < n; k++)
		if (picks[k].module[0] == '\0')
			model_attr(role, "checked", "true");
	for (int i = 0; i < PQntuples(allowed); i++) {
		const char *code = db_value(allowed, i, 0);
		if (m == NULL || strcmp(code, last) != 0) {
			m = model_add(roles, "module", NULL);
			model_attr(m, "code", code);
			model_attr(m, "name", db_value(allowed, i, 1));
			last = code;
		}
		role = model_add(m, "role", NULL);
		model_attr(role, "name", db_value(allowed, i, 2));
		for (size_t k = 0; k < n; k++)
			if (strcmp(picks[k].module, code) == 0 &&
			    strcmp(picks[k].role, db_value(allowed, i, 2)) == 0)
				model_attr(role, "checked", "true");
	}
}

int
page_user_list_model(struct hctx *ctx, xmlNodePtr page, const struct authz_authority *z)
{
	const char *params[1] = { num(ctx, z->id) };
	xmlNodePtr list, n;
	PGresult *r;

	if ((r = db_exec(ctx->db, ctx->a, &q_list, params)) == NULL)
		return -1;
	list = model_add(page, "users", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(list, "user", NULL);
		model_attr(n, "id", db_value(r, i, 0));
		model_attr(n, "username", db_value(r, i, 1));
		model_attr(n, "name", arena_printf(ctx->a, "%s %s", db_value(r, i, 2), db_value(r, i, 3)));
		model_attr(n, "email", db_value(r, i, 4));
		model_attr(n, "phone", db_value(r, i, 5));
		model_attr(n, "language", db_value(r, i, 6));
		model_attr(n, "status", db_value(r, i, 7));
		model_attr(n, "password", db_value(r, i, 8));
		model_attr(n, "last-login", db_value(r, i, 9));
		model_attr(n, "roles", db_value(r, i, 10));
	}
	return 0;
}

int
page_users_csv(struct hctx *ctx)
{
	static const char *const header[] = { "username", "first_name", "last_name", "email", "phone",
	    "language", "status", "password_status", "last_login", "roles" };
	static const int cols[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	struct authz_authority z;
	const char *params[1];
	struct buf *b = &ctx->resp->body;
	PGresult *r;
	int rc;

	if ((rc = authz_authority_arg(ctx, ctx->args[0], &z)) != 0)
		return rc;
	if (!z.may_edit)
		return authz_refuse(ctx, "error.user.manage-forbidden");
	params[0] = num(ctx, z.id);
	if ((r = db_exec(ctx->db, ctx->a, &q_list, params)) == NULL)
		return 500;
	buf_release(b);
	buf_init(b);
	for (size_t c = 0; c < 10; c++)
		csv_cell(b, header[c], c == 9);
	for (int i = 0; i < PQntuples(r); i++)
		for (size_t c = 0; c < 10; c++)
			csv_cell(b, db_value(r, i, cols[c]), c == 9);
	ctx->resp->content_type = "text/csv; charset=utf-8";
	if (!buf_ok(b) || resp_header(ctx->resp, "Content-Disposition",
	    arena_printf(ctx->a, "attachment; filename=\"users-%lld.csv\"", z.id)) == -1 ||
	    resp_header(ctx->resp, "Cache-Control", "no-store") == -1)
		return 500;
	return 0;
}

/* The add and edit forms: data fields, roles, and what was refused. */
static int
user_form_page(struct hctx *ctx, const char *name, const struct authz_authority *z,
    long long uid, const struct first_user_fields *u, const char *phone,
    const struct role_pick *picks, size_t npicks, const struct form_errors *errs,
    xmlNodePtr refused)
{
	const char *params[1] = { num(ctx, z->id) };
	xmlNodePtr page, form, n;
	PGresult *allowed;

	if ((allowed = db_exec(ctx->db, ctx->a, &q_allowed, params)) == NULL)
		return 500;
	if ((page = page_model(ctx, name)) == NULL)
		return 500;
	n = model_add(page, "authority", z->name);
	model_attrf(n, "id", "%lld", z->id);
	if (uid > 0)
		model_attrf(model_add(page, "subject", NULL), "id", "%lld", uid);
	form = form_model(page, name, errs);
	first_user_fields_model(form, u, errs);
	form_field(form, "phone", phone, errs);
	/* Never echoed: the field comes back empty, with its error if any. */
	if (uid > 0)
		form_field(form, "your_password", "", errs);
	roles_model(page, allowed, picks, npicks);
	if (refused != NULL)
		xmlAddChild(page, refused);
	if (form_choices_model(ctx->db, ctx->a, page) == -1)
		return 500;
	return page_render(ctx, page);
}

int
page_user_new_form(struct hctx *ctx)
{
	struct first_user_fields u = { "", "", "", "", "" };
	struct authz_authority z;
	int rc;

	if ((rc = authz_authority_arg(ctx, ctx->args[0], &z)) != 0)
		return rc;
	if (!z.may_edit)
		return authz_refuse(ctx, "error.user.manage-forbidden");
	return user_form_page(ctx, "user-new", &z, 0, &u, "", NULL, 0, NULL, NULL);
}

static void
check_phone(struct form_errors *errs, const char *phone)
{
	const char *rule;

	if ((rule = textcheck_line(phone, 64)) != NULL)
		form_error(errs, "phone", rule);
}

int
page_user_new(struct hctx *ctx)
{
	struct wf_actor me = { WF_ACTOR_USER, ctx->sess->user_id, ctx->sess->authority_id };
	struct role_pick picks[MAX_ROLES];
	size_t npicks = 0;
	struct first_user_fields u;
	struct form_errors errs = { 0 };
	struct authz_authority z;
	struct account_new n;
	struct seclog_event ev;
	enum account_taken taken;
	const char *phone = http_form(ctx->req, "phone"), *action = http_form(ctx->req, "action");
	const char *params[3], *username = NULL;
	xmlNodePtr page, done;
	PGresult *allowed;
	long long uid;
	int rc, admin = 0;

	if ((rc = authz_authority_arg(ctx, ctx->args[0], &z)) != 0)
		return rc;
	if (!z.may_edit)
		return authz_refuse(ctx, "error.user.manage-forbidden");
	phone = phone ? phone : "";
	first_user_fields_read(ctx->req, &u);
	params[0] = num(ctx, z.id);
	if ((allowed = db_exec(ctx->db, ctx->a, &q_allowed, params)) == NULL)
		return 500;
	if (read_roles(ctx, allowed, picks, &npicks) == -1)
		return 400;
	/* "Propose": the form again with a free username made from the name. */
	if (action != NULL && strcmp(action, "propose") == 0) {
		if ((u.username = account_propose_username(ctx->db, ctx->a, u.first_name,
		    u.last_name)) == NULL)
			return 500;
		return user_form_page(ctx, "user-new", &z, 0, &u, phone, picks, npicks, NULL, NULL);
	}
	if (first_user_fields_check(ctx->db, ctx->a, &u, 0, &errs) == -1)
		return 500;
	check_phone(&errs, phone);
	if (errs.n > 0) {
		ctx->resp->status = 422;
		return user_form_page(ctx, "user-new", &z, 0, &u, phone, picks, npicks, &errs, NULL);
	}
	for (size_t i = 0; i < npicks; i++)
		admin |= picks[i].module[0] == '\0';
	if (db_begin(ctx->db) == -1 || roles_lock(ctx->db, ctx->a, z.id) == -1)
		goto fail;
	n = (struct account_new){ z.id, u.username[0] ? u.username : NULL, u.email, u.first_name,
	    u.last_name, u.language, admin, 1, &me, ctx->req->remote_addr };
	if ((uid = account_create(ctx->db, ctx->a, ctx->cfg, &n, &username, &taken)) <= 0)
		goto fail;      /* checked above: a race lost */
	params[0] = num(ctx, uid);
	params[1] = phone;
	/* account_create logged the user; the roles it starts with are a change from none. */
	ev = seclog(ctx, SECLOG_ROLES_CHANGED, uid, NULL);
	if (db_exec(ctx->db, ctx->a, &q_phone, params) == NULL ||
	    write_roles(ctx, uid, picks, npicks) == -1 ||
	    security_log_queue_roles(ctx->db, ctx->a, &ev, "") == -1 || db_commit(ctx->db) == -1)
		goto fail;
	log_info("user %lld added user %lld (%s) to authority %lld", ctx->sess->user_id, uid, username,
	    z.id);
	/* Seed 004 §3: the username goes to the new user outside the system, never by mail. */
	if ((page = page_model(ctx, "user-added")) == NULL)
		return 500;
	done = model_add(page, "added", NULL);
	model_attrf(done, "authority", "%lld", z.id);
	model_attr(done, "name", arena_printf(ctx->a, "%s %s", u.first_name, u.last_name));
	model_attr(done, "username", username);
	model_attr(done, "email", u.email);
	return page_render(ctx, page);
fail:
	db_rollback(ctx->db);
	return 500;
}

/* The user named by the path and the right to manage it: 0, or an HTTP status. */
static int
load_user(struct hctx *ctx, long long *uid, PGresult **r, struct authz_authority *z)
{
	const char *params[1];
	int rc;

	if ((*uid = page_parse_id(ctx->args[0])) < 0)
		return 404;
	params[0] = ctx->args[0];
	if ((*r = db_exec(ctx->db, ctx->a, &q_user, params)) == NULL)
		return 500;
	if (PQntuples(*r) != 1)
		return 404;
	if ((rc = authz_authority_arg(ctx, db_value(*r, 0, 0), z)) != 0)
		return rc;
	return z->may_edit ? 0 : authz_refuse(ctx, "error.user.manage-forbidden");
}

int
page_user_form(struct hctx *ctx)
{
	struct role_pick picks[MAX_ROLES];
	struct first_user_fields u;
	struct authz_authority z;
	const char *params[1];
	PGresult *r, *roles;
	long long uid;
	size_t n = 0;
	int rc;

	if ((rc = load_user(ctx, &uid, &r, &z)) != 0)
		return rc;
	params[0] = num(ctx, uid);
	if ((roles = db_exec(ctx->db, ctx->a, &q_user_roles, params)) == NULL)
		return 500;
	for (int i = 0; i < PQntuples(roles) && n < MAX_ROLES; i++, n++) {
		picks[n].module = db_value(roles, i, 0);
		picks[n].role = db_value(roles, i, 1);
	}
	u = (struct first_user_fields){ db_value(r, 0, 2), db_value(r, 0, 3), db_value(r, 0, 4),
	    db_value(r, 0, 6), db_value(r, 0, 1) };
	return user_form_page(ctx, "user-edit", &z, uid, &u, db_value(r, 0, 5), picks, n, NULL, NULL);
}

int
page_user_save(struct hctx *ctx)
{
	struct role_pick picks[MAX_ROLES];
	size_t npicks = 0;
	struct first_user_fields u;
	struct form_errors errs = { 0 };
	struct authz_authority z;
	const char *phone = http_form(ctx->req, "phone"), *params[7];
	xmlNodePtr refused;
	PGresult *r, *allowed;
	struct seclog_event ev;
	const char *before;
	long long uid;
	int rc, broken;

	if ((rc = load_user(ctx, &uid, &r, &z)) != 0)
		return rc;
	phone = phone ? phone : "";
	first_user_fields_read(ctx->req, &u);
	if (u.username[0] == '\0')
		u.username = db_value(r, 0, 1);
	params[0] = num(ctx, z.id);
	if ((allowed = db_exec(ctx->db, ctx->a, &q_allowed, params)) == NULL)
		return 500;
	if (read_roles(ctx, allowed, picks, &npicks) == -1)
		return 400;
	if (first_user_fields_check(ctx->db, ctx->a, &u, uid, &errs) == -1)
		return 500;
	check_phone(&errs, phone);
	/*
	 * A new e-mail address is where the next temporary password goes: whoever changes it
	 * (an Administrator, or one for their own account) types their own password again
	 * (ASVS 7.5.1), so an unattended session cannot redirect an account's mail.
	 */
	if (strcmp(u.email, db_value(r, 0, 4)) != 0) {
		const char *pw = http_form(ctx->req, "your_password");
		int ok = 0;

		if (pw == NULL || pw[0] == '\0')
			form_error(&errs, "your_password", "reauth-required");
		else if ((ok = auth_check_password(ctx->db, ctx->a, ctx->sess->user_id, pw)) == -1)
			return 500;
		else if (!ok) {
			struct seclog_event e = seclog(ctx, SECLOG_REAUTH_FAILED, uid, "e-mail change");
			form_error(&errs, "your_password", "reauth-wrong");
			if (security_log_queue(ctx->db, ctx->a, &e) == -1 || db_flush(ctx->db) == -1)
				return 500;
		}
	}
	if (errs.n > 0) {
		ctx->resp->status = 422;
		return user_form_page(ctx, "user-edit", &z, uid, &u, phone, picks, npicks, &errs, NULL);
	}
	if (db_begin(ctx->db) == -1 || roles_lock(ctx->db, ctx->a, z.id) == -1 ||
	    (before = security_log_roles(ctx->db, ctx->a, uid)) == NULL)
		goto fail;
	ev = seclog(ctx, SECLOG_ROLES_CHANGED, uid, NULL);
	params[0] = num(ctx, uid);
	params[1] = u.first_name;
	params[2] = u.last_name;
	params[3] = u.email;
	params[4] = phone;
	params[5] = u.language;
	params[6] = u.username;
	if (db_exec(ctx->db, ctx->a, &q_update, params) == NULL ||
	    write_roles(ctx, uid, picks, npicks) == -1 ||
	    security_log_queue_roles(ctx->db, ctx->a, &ev, before) == -1 ||
	    (broken = roles_check(ctx->db, ctx->a, z.id, &refused)) == -1)
		goto fail;
	if (broken > 0) {
		db_rollback(ctx->db);
		ctx->resp->status = 422;
		return user_form_page(ctx, "user-edit", &z, uid, &u, phone, picks, npicks, NULL, refused);
	}
	if (db_commit(ctx->db) == -1)
		return 500;
	log_info("user %lld edited user %lld: %zu roles", ctx->sess->user_id, uid, npicks);
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/authorities/%lld/users", z.id)) == -1
	    ? 500 : 0;
fail:
	db_rollback(ctx->db);
	return 500;
}

int
page_user_reset(struct hctx *ctx)
{
	struct wf_actor me = { WF_ACTOR_USER, ctx->sess->user_id, ctx->sess->authority_id };
	struct authz_authority z;
	struct seclog_event ev;
	PGresult *r;
	long long uid;
	int rc;

	if ((rc = load_user(ctx, &uid, &r, &z)) != 0)
		return rc;
	ev = seclog(ctx, SECLOG_PASSWORD_RESET, uid, NULL);
	if (db_begin(ctx->db) == -1)
		return 500;
	if ((rc = password_life_fire(ctx->db, ctx->a, ctx->cfg, &me, uid, "reset")) != 0) {
		db_rollback(ctx->db);
		return rc == 1 ? authz_refuse(ctx, "error.user.manage-forbidden") : 500;
	}
	if (security_log_queue(ctx->db, ctx->a, &ev) == -1 || db_commit(ctx->db) == -1)
		return 500;
	log_info("user %lld reset the password of user %lld", ctx->sess->user_id, uid);
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/authorities/%lld/users", z.id)) == -1
	    ? 500 : 0;
}

int
page_user_delete(struct hctx *ctx)
{
	struct authz_authority z;
	const char *params[1];
	xmlNodePtr refused;
	struct seclog_event ev;
	PGresult *r;
	long long uid;
	int rc, broken;

	if ((rc = load_user(ctx, &uid, &r, &z)) != 0)
		return rc;
	ev = seclog(ctx, SECLOG_USER_DELETED, uid, db_value(r, 0, 1));
	if (db_begin(ctx->db) == -1 || roles_lock(ctx->db, ctx->a, z.id) == -1)
		goto fail;
	params[0] = num(ctx, uid);
	if (security_log_queue(ctx->db, ctx->a, &ev) == -1 ||
	    db_exec(ctx->db, ctx->a, &q_delete, params) == NULL ||
	    (broken = roles_check(ctx->db, ctx->a, z.id, &refused)) == -1)
		goto fail;
	if (broken > 0) {
		db_rollback(ctx->db);
		ctx->resp->status = 422;
		ctx->refused = refused;
		return ctx->show(ctx, arena_printf(ctx->a, "/authorities/%lld/users", z.id));
	}
	if (db_commit(ctx->db) == -1)
		return 500;
	log_info("user %lld deleted user %lld of authority %lld", ctx->sess->user_id, uid, z.id);
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/authorities/%lld/users", z.id)) == -1
	    ? 500 : 0;
fail:
	db_rollback(ctx->db);
	return 500;
}

/*
 * <sessions> of My profile (ASVS 7.5.2): the user's live sessions, this one marked, with
 * "sign out everywhere else" on the page.  Any number may be live at once (README.md
 * "Sessions"): a user works from an office and a laptop.  0 or -1.
 */
static int
sessions_model(struct hctx *ctx, xmlNodePtr page)
{
	struct session_limits lim = { 0, 0, 0, 0 };
	xmlNodePtr list, n;
	PGresult *r;

	lim.idle_minutes = (int)config_number(ctx->cfg->session_idle, 30, 1, 60 * 24 * 30);
	lim.max_hours = (int)config_number(ctx->cfg->session_max, 12, 1, 24 * 365);
	if (lim.idle_minutes < 0 || lim.max_hours < 0 ||
	    (r = session_list(ctx->db, ctx->a, ctx->sess->user_id, &lim)) == NULL)
		return -1;
	list = model_add(page, "sessions", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(list, "session", NULL);
		model_attr(n, "created", db_value(r, i, 1));
		model_attr(n, "last-seen", db_value(r, i, 2));
		if (db_int(r, i, 0) == ctx->sess->id)
			model_attr(n, "current", "true");
	}
	return 0;
}

static int
profile_page(struct hctx *ctx, const char *notice)
{
	const char *params[1] = { num(ctx, ctx->sess->user_id) };
	xmlNodePtr page, me, n;
	PGresult *r, *roles;

	if ((r = db_exec(ctx->db, ctx->a, &q_user, params)) == NULL || PQntuples(r) != 1 ||
	    (roles = db_exec(ctx->db, ctx->a, &q_user_roles, params)) == NULL)
		return 500;
	if ((page = page_model(ctx, "profile")) == NULL)
		return 500;
	if (notice != NULL)
		model_attr(model_add(page, "notice", NULL), "key", notice);
	me = model_add(page, "me", NULL);
	model_attr(me, "username", db_value(r, 0, 1));
	model_attr(me, "name", arena_printf(ctx->a, "%s %s", db_value(r, 0, 2), db_value(r, 0, 3)));
	model_attr(me, "email", db_value(r, 0, 4));
	model_attr(me, "phone", db_value(r, 0, 5));
	model_attr(me, "language", db_value(r, 0, 6));
	model_attr(me, "password", db_value(r, 0, 8));
	model_attr(me, "last-login", db_value(r, 0, 9));
	model_attr(me, "authority", db_value(r, 0, 10));
	model_attrf(me, "authority-id", "%lld", ctx->sess->authority_id);
	for (int i = 0; i < PQntuples(roles); i++) {
		n = model_add(me, "role", NULL);
		model_attr(n, "module", db_value(roles, i, 0));
		model_attr(n, "module-name", db_value(roles, i, 2));
		model_attr(n, "name", db_value(roles, i, 1));
	}
	if (sessions_model(ctx, page) == -1 || form_choices_model(ctx->db, ctx->a, page) == -1)
		return 500;
	return page_render(ctx, page);
}

int
page_profile(struct hctx *ctx)
{
	const char *saved = http_query(ctx->req, "saved");
	const char *ended = http_query(ctx->req, "ended");

	return profile_page(ctx, saved != NULL ? "profile-saved" :
	    ended != NULL ? "sessions-ended" : NULL);
}

int
page_profile_end_sessions(struct hctx *ctx)
{
	struct seclog_event e = seclog(ctx, SECLOG_SESSIONS_ENDED, ctx->sess->user_id, NULL);

	/* The row travels with the deletion, in its implicit transaction. */
	if (security_log_queue(ctx->db, ctx->a, &e) == -1 ||
	    session_end_others(ctx->db, ctx->a, ctx->sess->user_id, ctx->sess->id) == -1)
		return 500;
	log_info("user %lld ended their other sessions", ctx->sess->user_id);
	return resp_redirect(ctx->resp, "/profile?ended=1") == -1 ? 500 : 0;
}

int
page_profile_save(struct hctx *ctx)
{
	const char *lang = http_form(ctx->req, "language"), *params[2];
	static const char *const languages[] = { "en", "da", "nl", "ro" };
	int ok = 0;

	for (size_t i = 0; lang != NULL && i < sizeof(languages) / sizeof(languages[0]); i++)
		ok |= strcmp(lang, languages[i]) == 0;
	if (!ok)
		return 400;
	params[0] = num(ctx, ctx->sess->user_id);
	params[1] = lang;
	if (db_exec(ctx->db, ctx->a, &q_language, params) == NULL)
		return 500;
	return resp_redirect(ctx->resp, "/profile?saved=1") == -1 ? 500 : 0;
}
