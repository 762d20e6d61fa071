/* page_invitation.c — see page_invitation.h. */
#include "page_invitation.h"

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
#include "outbox.h"
#include "page_authority.h"
#include "page_login.h"
#include "textcheck.h"
#include "token.h"
#include "page_refusal.h"

static const struct db_query q_list = { "invitation_list",
	"SELECT v.id, v.email, v.country, i.state, to_char(v.created_at, 'YYYY-MM-DD'),"
	"       to_char(v.expires_at, 'YYYY-MM-DD'), v.authority_id, coalesce(a.official_name, ''),"
	"       v.instance_id, i.rev"
	"  FROM invitations v JOIN wf_instances i ON i.id = v.instance_id"
	"  LEFT JOIN authorities a ON a.id = v.authority_id"
	" WHERE v.inviting_authority_id = $1 ORDER BY v.id DESC LIMIT 200", 1 };
static const struct db_query q_me = { "invitation_me",
	"SELECT country, is_helpdesk, official_name FROM authorities WHERE id = $1", 1 };
static const struct db_query q_country = { "invitation_country",
	"SELECT 1 FROM countries WHERE code = $1", 1 };
static const struct db_query q_insert = { "invitation_insert",
	"INSERT INTO invitations (token_hash, email, country, message, inviting_authority_id,"
	"   invited_by, expires_at, instance_id)"
	" VALUES ($1, $2, $3, nullif($4, ''), $5, $6, imi_now() + make_interval(days => $7::int), $8)", 8 };
/* An invitation that can still be used; its state decides, then the dates. */
static const struct db_query q_find = { "invitation_find",
	"SELECT v.id, v.country, v.instance_id, i.state, v.used_at IS NOT NULL,"
	"       v.expires_at <= imi_now(), a.official_name, coalesce(v.message, '')"
	"  FROM invitations v JOIN wf_instances i ON i.id = v.instance_id"
	"  JOIN authorities a ON a.id = v.inviting_authority_id WHERE v.token_hash = $1", 1 };
/* Single use: the row is taken in the registering transaction. */
static const struct db_query q_take = { "invitation_take",
	"UPDATE invitations SET used_at = imi_now() WHERE token_hash = $1 AND used_at IS NULL"
	"   AND expires_at > imi_now() RETURNING id, inviting_authority_id, instance_id", 1 };
static const struct db_query q_registered = { "invitation_registered",
	"UPDATE invitations SET authority_id = $2 WHERE id = $1", 2 };
static const struct db_query q_pending = { "invitation_pending",
	"SELECT a.id, a.official_name, a.country, coalesce(a.email, ''),"
	"       to_char(a.created_at, 'YYYY-MM-DD'),"
	"       CASE WHEN EXISTS (SELECT 1 FROM authority_managers m WHERE m.authority_id = a.id"
	"                  AND m.manager_id = me.id) THEN 'true' END"
	"  FROM authorities a JOIN wf_instances i ON i.id = a.instance_id, authorities me"
	" WHERE me.id = $1 AND i.state = 'pending-validation' AND a.deleted_at IS NULL"
	"   AND (me.is_helpdesk OR ((me.is_nimic OR me.is_access_manager) AND me.country = a.country))"
	" ORDER BY a.created_at, a.id", 1 };

static int
may_invite(struct hctx *ctx)
{
	int m = authz_access_manager(ctx);

	if (m == 0)
		ctx->error_detail = "error.authority.manage-forbidden";
	return m == -1 ? 500 : m == 0 ? 403 : 0;
}

static int
invitations_page(struct hctx *ctx, const char *email, const char *country, const char *message,
    const struct form_errors *errs)
{
	const char *params[1];
	xmlNodePtr page, list, n, form;
	PGresult *r;

	if ((page = page_model(ctx, "invitations")) == NULL)
		return 500;
	params[0] = arena_printf(ctx->a, "%lld", ctx->sess->authority_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_list, params)) == NULL)
		return 500;
	list = model_add(page, "invitations", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(list, "invitation", NULL);
		model_attr(n, "id", db_value(r, i, 0));
		model_attr(n, "email", db_value(r, i, 1));
		model_attr(n, "country", db_value(r, i, 2));
		model_attr(n, "state", db_value(r, i, 3));
		model_attr(n, "sent", db_value(r, i, 4));
		model_attr(n, "expires", db_value(r, i, 5));
		model_attr(n, "authority", db_value(r, i, 6));
		model_attr(n, "authority-name", db_value(r, i, 7));
		model_attr(n, "instance", db_value(r, i, 8));
		model_attr(n, "rev", db_value(r, i, 9));
	}
	form = form_model(page, "invite", errs);
	model_attr(model_add(form, "field", NULL), "name", "email");
	model_attr(form->last, "value", email);
	model_attr(model_add(form, "field", NULL), "name", "country");
	model_attr(form->last, "value", country);
	model_attr(model_add(form, "field", NULL), "name", "message");
	model_attr(form->last, "value", message);
	for (size_t i = 0; errs != NULL && i < errs->n; i++)
		for (n = form->children; n != NULL; n = n->next) {
			xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
			if (name != NULL && strcmp((const char *)name, errs->e[i].field) == 0)
				model_attr(n, "error", errs->e[i].rule);
			xmlFree(name);
		}
	if (form_choices_model(ctx->db, ctx->a, page) == -1)
		return 500;
	return page_render(ctx, page);
}

int
page_invitations(struct hctx *ctx)
{
	int rc = may_invite(ctx);

	return rc != 0 ? rc : invitations_page(ctx, "", "", "", NULL);
}

int
page_invite(struct hctx *ctx)
{
	struct wf_actor me = { WF_ACTOR_USER, ctx->sess->user_id, ctx->sess->authority_id };
	const char *email = http_form(ctx->req, "email"), *country = http_form(ctx->req, "country"),
	    *message = http_form(ctx->req, "message"), *params[8], *rule;
	char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
	struct form_errors errs = { 0 };
	struct wf_outcome out;
	xmlNodePtr mail;
	PGresult *r, *c;
	long long iid;
	int rc = may_invite(ctx);

	if (rc != 0)
		return rc;
	email = email ? email : "";
	country = country ? country : "";
	message = message ? message : "";
	params[0] = arena_printf(ctx->a, "%lld", ctx->sess->authority_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_me, params)) == NULL || PQntuples(r) != 1)
		return 500;
	if (!account_valid_email(email))
		form_error(&errs, "email", email[0] ? "email" : "required");
	params[0] = country;
	if (strlen(country) != 2 || (c = db_exec(ctx->db, ctx->a, &q_country, params)) == NULL ||
	    PQntuples(c) != 1)
		form_error(&errs, "country", "choice");
	else if (!db_bool(r, 0, 1) && strcmp(country, db_value(r, 0, 0)) != 0)
		form_error(&errs, "country", "own-country");
	if ((rule = textcheck_text(message, 2000)) != NULL)
		form_error(&errs, "message", rule);
	if (errs.n > 0) {
		ctx->resp->status = 422;
		return invitations_page(ctx, email, country, message, &errs);
	}
	if (db_begin(ctx->db) == -1)
		return 500;
	if ((iid = wf_start_tx(ctx->db, ctx->a, ctx->cfg, &me, "invitation", ctx->sess->authority_id,
	    "")) == -1)
		goto fail;
	token_new(token);
	token_hash(token, hash);
	params[0] = hash;
	params[1] = email;
	params[2] = country;
	params[3] = message;
	params[4] = arena_printf(ctx->a, "%lld", ctx->sess->authority_id);
	params[5] = arena_printf(ctx->a, "%lld", ctx->sess->user_id);
	params[6] = arena_printf(ctx->a, "%d", INVITATION_DAYS);
	params[7] = arena_printf(ctx->a, "%lld", iid);
	if (db_exec(ctx->db, ctx->a, &q_insert, params) == NULL)
		goto fail;
	if ((mail = model_new(ctx->a, "mail")) == NULL)
		goto fail;
	model_attr(mail, "template", "invitation");
	model_add(mail, "authority", db_value(r, 0, 2));
	model_add(mail, "inviter", ctx->sess->display_name);
	model_add(mail, "message", message);
	model_add(mail, "days", arena_printf(ctx->a, "%d", INVITATION_DAYS));
	model_add(mail, "url", arena_printf(ctx->a, "%s/register/%s", ctx->cfg->base_url, token));
	if (outbox_enqueue(ctx->db, ctx->a, email, ctx->lang, mail, NULL) == -1)
		goto fail;
	wf_fire_tx(ctx->db, ctx->a, ctx->cfg, &me, iid, 0, "send", NULL, &out);
	if (out.result != WF_OK) {
		db_rollback(ctx->db);
		if (out.result == WF_FORBIDDEN) {
			return page_refused(ctx, &out);
		}
		return 500;
	}
	if (db_commit(ctx->db) == -1)
		return 500;
	log_info("user %lld invited %s to self-register (invitation instance %lld)",
	    ctx->sess->user_id, email, iid);
	return resp_redirect(ctx->resp, "/admin/invitations") == -1 ? 500 : 0;
fail:
	db_rollback(ctx->db);
	return 500;
}

/* Why a link cannot be used, or NULL when it can. */
static const char *
unusable(const PGresult *r)
{
	if (PQntuples(r) != 1)
		return "invalid";
	if (db_bool(r, 0, 4) || strcmp(db_value(r, 0, 3), "registered") == 0)
		return "used";
	if (strcmp(db_value(r, 0, 3), "withdrawn") == 0)
		return "withdrawn";
	if (db_bool(r, 0, 5) || strcmp(db_value(r, 0, 3), "sent") != 0)
		return "expired";
	return NULL;
}

static int
self_register_page(struct hctx *ctx, const PGresult *inv, const char *why,
    const struct authority_fields *f, const struct first_user_fields *u,
    const struct form_errors *errs)
{
	const char *csrf = page_public_csrf(ctx);
	xmlNodePtr page, form, n;

	if (csrf == NULL || (page = page_model(ctx, "self-register")) == NULL)
		return 500;
	if (ctx->sess == NULL)
		model_add(page, "csrf", csrf);
	n = model_add(page, "invitation", NULL);
	model_attr(n, "token", ctx->args[0]);
	if (why != NULL) {
		/* 410 Gone: the link existed, or might have, and is of no use now. */
		ctx->resp->status = 410;
		model_attr(n, "unusable", why);
		return page_render(ctx, page);
	}
	model_attr(n, "country", db_value(inv, 0, 1));
	model_attr(n, "inviter", db_value(inv, 0, 6));
	model_attr(n, "message", db_value(inv, 0, 7));
	form = form_model(page, "self-register", errs);
	if (f != NULL) {
		authority_fields_model(form, f, errs);
		first_user_fields_model(form, u, errs);
	}
	if (form_choices_model(ctx->db, ctx->a, page) == -1)
		return 500;
	return page_render(ctx, page);
}

static PGresult *
find(struct hctx *ctx)
{
	char hash[TOKEN_HASH_LEN + 1];
	const char *params[1] = { hash };

	/* A malformed token finds nothing, like a wrong one. */
	memset(hash, '0', TOKEN_HASH_LEN);
	hash[TOKEN_HASH_LEN] = '\0';
	if (token_well_formed(ctx->args[0]))
		token_hash(ctx->args[0], hash);
	return db_exec(ctx->db, ctx->a, &q_find, params);
}

int
page_self_register_form(struct hctx *ctx)
{
	PGresult *r;

	if (resp_header(ctx->resp, "Referrer-Policy", "no-referrer") == -1)
		return 500;
	if ((r = find(ctx)) == NULL)
		return 500;
	return self_register_page(ctx, r, unusable(r), NULL, NULL, NULL);
}

int
page_self_register(struct hctx *ctx)
{
	struct authority_fields f;
	struct first_user_fields u;
	struct form_errors errs = { 0 };
	struct wf_actor nobody = { WF_ACTOR_USER, 0, 0 }, first;
	struct wf_outcome out;
	char hash[TOKEN_HASH_LEN + 1];
	const char *params[2], *why, *username = NULL;
	xmlNodePtr page, done;
	PGresult *r, *t;
	long long id;

	if (resp_header(ctx->resp, "Referrer-Policy", "no-referrer") == -1)
		return 500;
	if ((r = find(ctx)) == NULL)
		return 500;
	if ((why = unusable(r)) != NULL)
		return self_register_page(ctx, r, why, NULL, NULL, NULL);
	authority_fields_read(ctx->req, &f);
	first_user_fields_read(ctx->req, &u);
	f.country = db_value(r, 0, 1);    /* the invitation's, whatever the form says */
	if (strcmp(f.authority_type, "nimic") == 0)
		form_error(&errs, "authority_type", "nimic");
	if (authority_fields_check(ctx->db, ctx->a, &f, 0, &errs) == -1 ||
	    first_user_fields_check(ctx->db, ctx->a, &u, 0, &errs) == -1)
		return 500;
	if (errs.n > 0) {
		ctx->resp->status = 422;
		return self_register_page(ctx, r, NULL, &f, &u, &errs);
	}
	if (db_begin(ctx->db) == -1)
		return 500;
	token_hash(ctx->args[0], hash);
	params[0] = hash;
	if ((t = db_exec(ctx->db, ctx->a, &q_take, params)) == NULL)
		goto fail;
	if (PQntuples(t) != 1) {
		db_rollback(ctx->db);
		return self_register_page(ctx, r, "used", NULL, NULL, NULL);
	}
	if ((id = authority_create(ctx, &f, &u, 0, &nobody, "self-register", db_int(t, 0, 1),
	    &username, &first.user_id, &out)) <= 0)
		goto fail;
	params[0] = db_value(t, 0, 0);
	params[1] = arena_printf(ctx->a, "%lld", id);
	if (db_exec(ctx->db, ctx->a, &q_registered, params) == NULL)
		goto fail;
	/* The invitation's "register" is fired by the new authority's first user. */
	first.kind = WF_ACTOR_USER;
	first.authority_id = id;
	wf_fire_tx(ctx->db, ctx->a, ctx->cfg, &first, db_int(t, 0, 2), 0, "register", NULL, &out);
	if (out.result != WF_OK || db_commit(ctx->db) == -1)
		goto fail;
	log_info("authority %lld self-registered through invitation %s", id, db_value(t, 0, 0));
	if ((page = page_model(ctx, "self-registered")) == NULL)
		return 500;
	done = model_add(page, "registered", NULL);
	model_attr(done, "name", f.official_name);
	model_attr(done, "username", username);
	model_attr(done, "email", u.email);
	return page_render(ctx, page);
fail:
	db_rollback(ctx->db);
	return 500;
}

int
page_pending_validations(struct hctx *ctx)
{
	static const char *const pending_attrs[] = { "id", NULL, "country", "email", "registered",
	    "mine" };
	const char *params[1];
	xmlNodePtr page, list;
	PGresult *r;
	int rc = may_invite(ctx);

	if (rc != 0)
		return rc;
	params[0] = arena_printf(ctx->a, "%lld", ctx->sess->authority_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_pending, params)) == NULL)
		return 500;
	if ((page = page_model(ctx, "validations")) == NULL)
		return 500;
	list = model_add(page, "pending", NULL);
	page_rows(list, "authority", r, 1, pending_attrs, 6);
	return page_render(ctx, page);
}
