/* page_access.c — see page_access.h. */
#include "page_access.h"

#include <string.h>

#include "arena.h"
#include "authz.h"
#include "config.h"
#include "db.h"
#include "engine.h"
#include "handler.h"
#include "http.h"
#include "log.h"
#include "model.h"
#include "page_instance.h"
#include "pgarray.h"
#include "roles.h"
#include "page_refusal.h"

#define MAX_PICKS 64

static const struct db_query q_accesses = { "access_list",
	"SELECT m.code, m.name, m.kind, ma.role, i.state, ma.approval_required, ma.right_to_refuse,"
	"       ma.allocation, ma.instance_id, i.rev, NULL, m.needs_coordinator"
	"  FROM module_accesses ma JOIN modules m ON m.code = ma.module"
	"  JOIN wf_instances i ON i.id = ma.instance_id"
	" WHERE ma.authority_id = $1 ORDER BY m.position, m.code", 1 };
static const struct db_query q_links = { "access_links",
	"SELECT ma.module, a.id, a.official_name FROM module_accesses ma"
	"  JOIN access_coordinators c ON c.access_id = ma.id"
	"  JOIN authorities a ON a.id = c.coordinator_id"
	" WHERE ma.authority_id = $1 ORDER BY a.official_name", 1 };
static const struct db_query q_modules = { "access_modules",
	"SELECT m.code, m.name, m.kind, m.needs_coordinator, NULL,"
	"       EXISTS (SELECT 1 FROM module_accesses ma WHERE ma.authority_id = $1 AND ma.module = m.code)"
	"  FROM modules m ORDER BY m.position, m.code", 1 };
/* Who can be a linked coordinator: coordinators of the module in the same country, granted. */
static const struct db_query q_candidates = { "access_candidates",
	"SELECT ma.module, a.id, a.official_name FROM module_accesses ma"
	"  JOIN wf_instances i ON i.id = ma.instance_id AND i.state = 'granted'"
	"  JOIN authorities a ON a.id = ma.authority_id"
	" WHERE ma.role = 'coordinator' AND a.country = $2 AND a.id <> $1"
	"   AND authority_state(a.id) = 'active' ORDER BY a.official_name", 2 };
static const struct db_query q_module = { "access_module",
	"SELECT kind, needs_coordinator FROM modules WHERE code = $1", 1 };
static const struct db_query q_keyword = { "access_keyword",
	"SELECT $2 = ANY (keywords) FROM modules WHERE code = $1", 2 };
static const struct db_query q_access_keywords = { "access_access_keywords",
	"SELECT ma.module, k FROM module_accesses ma, unnest(ma.keywords) k WHERE ma.authority_id = $1", 1 };
static const struct db_query q_module_keywords = { "access_module_keywords",
	"SELECT m.code, k.kw FROM modules m, unnest(m.keywords) WITH ORDINALITY k(kw, n)"
	" ORDER BY m.position, m.code, k.n", 0 };
static const struct db_query q_candidate = { "access_candidate",
	"SELECT 1 FROM module_accesses ma JOIN wf_instances i ON i.id = ma.instance_id"
	"  JOIN authorities a ON a.id = ma.authority_id"
	" WHERE ma.module = $1 AND ma.authority_id = $2 AND ma.role = 'coordinator'"
	"   AND i.state = 'granted' AND a.country = $3 AND a.id <> $4"
	"   AND authority_state(a.id) = 'active'", 4 };
static const struct db_query q_existing = { "access_existing",
	"SELECT id, instance_id, role, (SELECT rev FROM wf_instances WHERE id = instance_id),"
	"       allocation"
	"  FROM module_accesses WHERE authority_id = $1 AND module = $2 FOR UPDATE", 2 };
static const struct db_query q_insert = { "access_insert",
	"INSERT INTO module_accesses (authority_id, module, role, keywords, approval_required,"
	"   right_to_refuse, allocation, instance_id)"
	" VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8) RETURNING id", 8 };
static const struct db_query q_settings = { "access_settings",
	"UPDATE module_accesses SET keywords = $2::text[], approval_required = $3,"
	"       right_to_refuse = $4, allocation = $5 WHERE id = $1", 5 };
static const struct db_query q_keywords = { "access_keywords",
	"UPDATE module_accesses SET keywords = $2::text[] WHERE id = $1", 2 };
static const struct db_query q_role = { "access_role",
	"UPDATE module_accesses SET role = $2 WHERE id = $1", 2 };
static const struct db_query q_unlink = { "access_unlink",
	"DELETE FROM access_coordinators WHERE access_id = $1", 1 };
static const struct db_query q_link = { "access_link",
	"INSERT INTO access_coordinators (access_id, coordinator_id) VALUES ($1, $2)"
	" ON CONFLICT DO NOTHING", 2 };

/* What a grant or settings form sent, checked against the module. */
struct access_form {
	const char *module, *role;
	const char *keywords[MAX_PICKS];
	size_t nkeywords;
	const char *coordinators[MAX_PICKS];
	size_t ncoordinators;
	int approval, refuse, allocation;
	int is_request;
};

static int
picks(const struct http_req *req, const char *name, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < req->nbody; i++)
		if (strcmp(req->body_fields[i].name, name) == 0 && req->body_fields[i].value[0] != '\0') {
			if (n == max)
				return -1;
			out[n++] = req->body_fields[i].value;
		}
	return (int)n;
}

static int
checked(const struct http_req *req, const char *name)
{
	const char *v = http_form(req, name);

	return v != NULL && strcmp(v, "yes") == 0;
}

/*
 * Reads and checks the form against the module; errors go to refused as
 * <field name error/>.  1 valid, 0 refused, -1 error.
 */
static int
read_form(struct hctx *ctx, const struct authz_authority *z, const char *module, int with_role,
    struct access_form *f, xmlNodePtr refused)
{
	const char *params[4];
	PGresult *m, *r;
	int n, ok = 1;

	memset(f, 0, sizeof(*f));
	f->module = module;
	params[0] = module;
	if ((m = db_exec(ctx->db, ctx->a, &q_module, params)) == NULL)
		return -1;
	if (PQntuples(m) != 1) {
		model_attr(model_add(refused, "field", NULL), "name", "module");
		model_attr(refused->last, "error", "choice");
		return 0;
	}
	f->is_request = strcmp(db_value(m, 0, 0), "request") == 0;
	f->role = with_role ? http_form(ctx->req, "role") : NULL;
	if (with_role && (f->role == NULL || (strcmp(f->role, "authority") != 0 &&
	    strcmp(f->role, "coordinator") != 0))) {
		xmlNodePtr e = model_add(refused, "field", NULL);
		model_attr(e, "name", "role");
		model_attr(e, "error", "choice");
		ok = 0;
	}
	if ((n = picks(ctx->req, "keyword", f->keywords, MAX_PICKS)) < 0)
		return 0;
	f->nkeywords = (size_t)n;
	for (size_t i = 0; i < f->nkeywords; i++) {
		params[1] = f->keywords[i];
		if ((r = db_exec(ctx->db, ctx->a, &q_keyword, params)) == NULL)
			return -1;
		if (!db_bool(r, 0, 0)) {
			xmlNodePtr e = model_add(refused, "field", NULL);
			model_attr(e, "name", "keyword");
			model_attr(e, "error", "choice");
			ok = 0;
			break;
		}
	}
	if ((n = picks(ctx->req, "coordinator", f->coordinators, MAX_PICKS)) < 0)
		return 0;
	f->ncoordinators = (size_t)n;
	for (size_t i = 0; i < f->ncoordinators; i++) {
		params[0] = module;
		params[1] = f->coordinators[i];
		params[2] = z->country;
		params[3] = arena_printf(ctx->a, "%lld", z->id);
		if (page_parse_id(f->coordinators[i]) < 0 ||
		    (r = db_exec(ctx->db, ctx->a, &q_candidate, params)) == NULL || PQntuples(r) != 1) {
			xmlNodePtr e = model_add(refused, "field", NULL);
			model_attr(e, "name", "coordinator");
			model_attr(e, "error", "coordinator");
			ok = 0;
			break;
		}
	}
	/* Seed 002: an authority role in a request, notification or alert module needs one. */
	if (ok && f->role != NULL && strcmp(f->role, "authority") == 0 && db_bool(m, 0, 1) &&
	    f->ncoordinators == 0) {
		xmlNodePtr e = model_add(refused, "field", NULL);
		model_attr(e, "name", "coordinator");
		model_attr(e, "error", "coordinator-required");
		ok = 0;
	}
	/* The settings exist for request modules only (seed 001 §2.1.2). */
	if (f->is_request) {
		f->approval = checked(ctx->req, "approval_required");
		f->refuse = checked(ctx->req, "right_to_refuse");
		f->allocation = checked(ctx->req, "allocation");
	}
	return ok;
}

static int
write_links(struct hctx *ctx, const char *access_id, const struct access_form *f)
{
	const char *params[2] = { access_id, NULL };

	if (db_exec(ctx->db, ctx->a, &q_unlink, params) == NULL)
		return -1;
	for (size_t i = 0; i < f->ncoordinators; i++) {
		params[1] = f->coordinators[i];
		if (db_exec(ctx->db, ctx->a, &q_link, params) == NULL)
			return -1;
	}
	return 0;
}

/*
 * Fires event on the access instance in the open transaction, checks the
 * authority's role invariants (the settings or role just written, with the
 * roles the seeds give for them, must keep every rule) and commits; an HTTP
 * status.  A broken rule writes nothing and shows the Modules tab naming it.
 */
static int
fire_and_commit(struct hctx *ctx, long long authority_id, long long iid, long long rev,
    const char *event)
{
	struct wf_actor me = { WF_ACTOR_USER, ctx->sess->user_id, ctx->sess->authority_id };
	struct wf_outcome out;
	xmlNodePtr broken;
	int n;

	wf_fire_tx(ctx->db, ctx->a, ctx->cfg, &me, iid, rev, event, NULL, &out);
	if (out.result != WF_OK) {
		db_rollback(ctx->db);
		ctx->error_arg = out.detail;
		switch (out.result) {
		case WF_FORBIDDEN:
			return page_refused(ctx, &out);
		case WF_CONFLICT:
			page_changed_meanwhile(ctx, &out);
			return 409;
		case WF_NOT_FOUND:
			return 404;
		default:
			return 500;
		}
	}
	if ((n = roles_check(ctx->db, ctx->a, authority_id, &broken)) == -1) {
		db_rollback(ctx->db);
		return 500;
	}
	if (n > 0) {
		db_rollback(ctx->db);
		log_info("user %lld: %s on module access %lld refused: it breaks %d role rule(s)",
		    ctx->sess->user_id, event, iid, n);
		ctx->resp->status = 422;
		ctx->refused = broken;
		return ctx->show(ctx, arena_printf(ctx->a, "/authorities/%lld/modules", authority_id));
	}
	if (db_commit(ctx->db) == -1) {
		ctx->error_detail = "error.workflow.changed";
		return 409;
	}
	log_info("user %lld: %s on module access %lld of authority %lld", ctx->sess->user_id, event,
	    iid, authority_id);
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/authorities/%lld/modules",
	    authority_id)) == -1 ? 500 : 0;
}

static int
refuse(struct hctx *ctx, long long id, xmlNodePtr refused)
{
	ctx->resp->status = 422;
	ctx->refused = refused;
	return ctx->show(ctx, arena_printf(ctx->a, "/authorities/%lld/modules", id));
}

static xmlNodePtr
refused_node(struct hctx *ctx, const char *form, const char *module)
{
	xmlNodePtr doc = model_new(ctx->a, "scratch"), n;

	if (doc == NULL)
		return NULL;
	n = model_add(doc, "refused", NULL);
	xmlUnlinkNode(n);
	model_attr(n, "form", form);
	model_attr(n, "module", module);
	return n;
}

int
page_access_grant(struct hctx *ctx)
{
	struct wf_actor me = { WF_ACTOR_USER, ctx->sess->user_id, ctx->sess->authority_id };
	long long id = page_parse_id(ctx->args[0]), iid;
	const char *module = http_form(ctx->req, "module"), *params[8];
	struct authz_authority z;
	int rc;
	struct access_form f;
	xmlNodePtr refused;
	PGresult *r;
	int ok;

	if ((rc = authz_authority_arg(ctx, ctx->args[0], &z)) != 0)
		return rc;
	if (!z.may_manage)
		return authz_refuse(ctx, "error.authority.manage-forbidden");
	if ((refused = refused_node(ctx, "grant", module)) == NULL)
		return 500;
	if ((ok = read_form(ctx, &z, module ? module : "", 1, &f, refused)) == -1)
		return 500;
	if (!ok)
		return refuse(ctx, id, refused);
	if (db_begin(ctx->db) == -1 || roles_lock(ctx->db, ctx->a, id) == -1)
		goto fail;
	params[0] = arena_printf(ctx->a, "%lld", id);
	params[1] = module;
	if ((r = db_exec(ctx->db, ctx->a, &q_existing, params)) == NULL)
		goto fail;
	if (PQntuples(r) > 0) {
		db_rollback(ctx->db);
		ctx->error_detail = "error.access.exists";
		return 409;
	}
	if ((iid = wf_start_tx(ctx->db, ctx->a, ctx->cfg, &me, "module-access", id, module)) == -1)
		goto fail;
	params[2] = f.role;
	params[3] = pg_text_array(ctx->a, f.keywords, f.nkeywords);
	params[4] = f.approval ? "true" : "false";
	params[5] = f.refuse ? "true" : "false";
	params[6] = f.allocation ? "true" : "false";
	params[7] = arena_printf(ctx->a, "%lld", iid);
	if ((r = db_exec(ctx->db, ctx->a, &q_insert, params)) == NULL ||
	    write_links(ctx, db_value(r, 0, 0), &f) == -1)
		goto fail;
	return fire_and_commit(ctx, id, iid, 0, "grant");
fail:
	db_rollback(ctx->db);
	return 500;
}

int
page_access_update(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]), iid, rev;
	const char *module = ctx->args[1], *event = http_form(ctx->req, "event"), *params[5];
	struct authz_authority z;
	struct access_form f;
	xmlNodePtr refused;
	PGresult *r;
	int ok, change_role, rc;

	if (event == NULL || (strcmp(event, "update") != 0 && strcmp(event, "change-role") != 0))
		return 400;
	change_role = strcmp(event, "change-role") == 0;
	if ((rc = authz_authority_arg(ctx, ctx->args[0], &z)) != 0)
		return rc;
	if (!z.may_edit || (change_role && !z.may_manage))
		return authz_refuse(ctx, "error.authority.manage-forbidden");
	if ((refused = refused_node(ctx, event, module)) == NULL)
		return 500;
	if (db_begin(ctx->db) == -1 || roles_lock(ctx->db, ctx->a, id) == -1)
		goto fail;
	params[0] = arena_printf(ctx->a, "%lld", id);
	params[1] = module;
	if ((r = db_exec(ctx->db, ctx->a, &q_existing, params)) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		db_rollback(ctx->db);
		return 404;
	}
	iid = db_int(r, 0, 1);
	rev = page_parse_id(http_form(ctx->req, "rev"));
	if (rev < 0)
		rev = db_int(r, 0, 3);
	params[0] = db_value(r, 0, 0);
	if (change_role) {
		if ((ok = read_form(ctx, &z, module, 1, &f, refused)) == -1)
			goto fail;
		if (!ok) {
			db_rollback(ctx->db);
			return refuse(ctx, id, refused);
		}
		/* A coordinator has no linked coordinators of its own. */
		if (strcmp(f.role, "coordinator") == 0)
			f.ncoordinators = 0;
		params[1] = f.role;
		if (db_exec(ctx->db, ctx->a, &q_role, params) == NULL ||
		    write_links(ctx, params[0], &f) == -1)
			goto fail;
		/* "Each Coordinator must have at least one Approver": becoming one gives them. */
		if (strcmp(f.role, "coordinator") == 0 && strcmp(db_value(r, 0, 2), "coordinator") != 0 &&
		    roles_give_administrators(ctx->db, ctx->a, id, module, "approver") == -1)
			goto fail;
		return fire_and_commit(ctx, id, iid, rev, "change-role");
	}
	/* Settings: keywords for the authority's own Administrators, everything for its managers. */
	f.role = db_value(r, 0, 2);
	if ((ok = read_form(ctx, &z, module, 0, &f, refused)) == -1)
		goto fail;
	if (!ok) {
		db_rollback(ctx->db);
		return refuse(ctx, id, refused);
	}
	params[1] = pg_text_array(ctx->a, f.keywords, f.nkeywords);
	if (z.may_manage) {
		params[2] = f.approval ? "true" : "false";
		params[3] = f.refuse ? "true" : "false";
		params[4] = f.allocation ? "true" : "false";
		if (db_exec(ctx->db, ctx->a, &q_settings, params) == NULL ||
		    (strcmp(db_value(r, 0, 2), "authority") == 0 && write_links(ctx, params[0], &f) == -1))
			goto fail;
		/* Seed 000: switching allocation on makes the Administrators Allocators. */
		if (f.allocation && !db_bool(r, 0, 4) &&
		    roles_give_administrators(ctx->db, ctx->a, id, module, "allocator") == -1)
			goto fail;
	} else if (db_exec(ctx->db, ctx->a, &q_keywords, params) == NULL) {
		goto fail;
	}
	return fire_and_commit(ctx, id, iid, rev, "update");
fail:
	db_rollback(ctx->db);
	return 500;
}

int
page_access_model(struct hctx *ctx, xmlNodePtr page, const struct authz_authority *z)
{
	static const char *const buttons[] = { "suspend", "regrant", NULL };
	const char *params[2];
	xmlNodePtr list, n, k;
	PGresult *r, *links, *cands, *kw;
	const char *next = arena_printf(ctx->a, "/authorities/%lld/modules", z->id);

	params[0] = arena_printf(ctx->a, "%lld", z->id);
	params[1] = z->country;
	if ((r = db_exec(ctx->db, ctx->a, &q_accesses, params)) == NULL ||
	    (links = db_exec(ctx->db, ctx->a, &q_links, params)) == NULL ||
	    (kw = db_exec(ctx->db, ctx->a, &q_access_keywords, params)) == NULL)
		return -1;
	list = model_add(page, "accesses", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(list, "access", NULL);
		model_attr(n, "module", db_value(r, i, 0));
		model_attr(n, "name", db_value(r, i, 1));
		model_attr(n, "kind", db_value(r, i, 2));
		model_attr(n, "role", db_value(r, i, 3));
		model_attr(n, "state", db_value(r, i, 4));
		model_attr(n, "approval-required", db_bool(r, i, 5) ? "true" : "false");
		model_attr(n, "right-to-refuse", db_bool(r, i, 6) ? "true" : "false");
		model_attr(n, "allocation", db_bool(r, i, 7) ? "true" : "false");
		model_attr(n, "instance", db_value(r, i, 8));
		model_attr(n, "rev", db_value(r, i, 9));
		model_attr(n, "needs-coordinator", db_bool(r, i, 11) ? "true" : "false");
		for (int l = 0; l < PQntuples(kw); l++)
			if (strcmp(db_value(kw, l, 0), db_value(r, i, 0)) == 0)
				model_add(n, "keyword", db_value(kw, l, 1));
		for (int l = 0; l < PQntuples(links); l++)
			if (strcmp(db_value(links, l, 0), db_value(r, i, 0)) == 0) {
				k = model_add(n, "coordinator", db_value(links, l, 2));
				model_attr(k, "id", db_value(links, l, 1));
			}
		if (z->may_manage && page_instance_actions(ctx, n, db_int(r, i, 8), buttons, next) == -1)
			return -1;
	}
	if (!z->may_edit)
		return 0;
	/* The catalogue, for the grant form and the keyword choices of the settings forms. */
	if ((r = db_exec(ctx->db, ctx->a, &q_modules, params)) == NULL ||
	    (cands = db_exec(ctx->db, ctx->a, &q_candidates, params)) == NULL ||
	    (kw = db_exec(ctx->db, ctx->a, &q_module_keywords, NULL)) == NULL)
		return -1;
	list = model_add(page, "catalogue", NULL);
	if (z->may_manage)
		model_attr(list, "may-grant", "true");
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(list, "module", db_value(r, i, 1));
		model_attr(n, "code", db_value(r, i, 0));
		model_attr(n, "kind", db_value(r, i, 2));
		model_attr(n, "needs-coordinator", db_bool(r, i, 3) ? "true" : "false");
		if (db_bool(r, i, 5))
			model_attr(n, "granted", "true");
		for (int l = 0; l < PQntuples(kw); l++)
			if (strcmp(db_value(kw, l, 0), db_value(r, i, 0)) == 0)
				model_add(n, "keyword", db_value(kw, l, 1));
		for (int c = 0; c < PQntuples(cands); c++)
			if (strcmp(db_value(cands, c, 0), db_value(r, i, 0)) == 0) {
				k = model_add(n, "candidate", db_value(cands, c, 2));
				model_attr(k, "id", db_value(cands, c, 1));
			}
	}
	return 0;
}
