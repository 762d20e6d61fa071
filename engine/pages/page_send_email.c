/* page_send_email.c — see page_send_email.h. */
#include "page_send_email.h"

#include <string.h>

#include "arena.h"
#include "authority_form.h"
#include "authz.h"
#include "db.h"
#include "handler.h"
#include "http.h"
#include "httplex.h"
#include "log.h"
#include "model.h"
#include "send_email.h"
#include "textcheck.h"

#define CRITERION_MAX 64
#define RESULTS_SHOWN 200
/* Authorities named on a sent message's page; the rest are counted. */
#define AUTHORITIES_SHOWN 500
#define SENT_SHOWN 100

static const struct db_query q_modules = { "send_email_modules",
	"SELECT code, name FROM modules ORDER BY position, code", 0 };
/* Queued: every address; delivered and failed: as the worker marked them in the outbox. */
static const struct db_query q_sent = { "send_email_sent",
	"SELECT s.id, to_char(s.sent_at, 'YYYY-MM-DD HH24:MI'), s.sender_name, s.sender_email,"
	"       left(s.body, 120),"
	"       (SELECT count(*) FROM sent_message_authorities x WHERE x.message_id = s.id),"
	"       count(r.mail_id), count(o.sent_at), count(o.failed_at),"
	"       CASE WHEN s.widened THEN 'true' END"
	"  FROM sent_messages s LEFT JOIN sent_message_recipients r ON r.message_id = s.id"
	"  LEFT JOIN outbox o ON o.message_id = r.mail_id"
	" WHERE s.sender_authority_id = $1 GROUP BY s.id ORDER BY s.id DESC LIMIT $2", 2 };
static const struct db_query q_message = { "send_email_message",
	"SELECT s.id, to_char(s.sent_at, 'YYYY-MM-DD HH24:MI'), s.sender_name, s.sender_email,"
	"       s.body,"
	"       (SELECT count(*) FROM sent_message_authorities x WHERE x.message_id = s.id),"
	"       count(r.mail_id), count(o.sent_at), count(o.failed_at),"
	"       CASE WHEN s.widened THEN 'true' END, s.sender_authority_name"
	"  FROM sent_messages s LEFT JOIN sent_message_recipients r ON r.message_id = s.id"
	"  LEFT JOIN outbox o ON o.message_id = r.mail_id"
	" WHERE s.id = $1 AND s.sender_authority_id = $2 GROUP BY s.id", 2 };
static const struct db_query q_message_authorities = { "send_email_message_authorities",
	"SELECT a.id, a.official_name, a.country FROM sent_message_authorities x"
	"  JOIN authorities a ON a.id = x.authority_id WHERE x.message_id = $1"
	" ORDER BY a.country, a.official_name, a.id LIMIT $2", 2 };

static const char *
criterion(struct hctx *ctx, int post, const char *name)
{
	const char *v = post ? http_form(ctx->req, name) : http_query(ctx->req, name);

	if (v == NULL || strlen(v) > CRITERION_MAX || !http_valid_text(v, strlen(v)))
		return "";
	return v;
}

/*
 * Who may use the page, and the search it asks for: 0 (c filled), or the HTTP status.
 * "My authorities only" switched off by one who may not is refused, not quietly ignored.
 */
static int
prepare(struct hctx *ctx, int post, struct send_email_criteria *c, int *may_widen)
{
	int m = authz_access_manager(ctx);

	if (m == -1)
		return 500;
	if (m == 0)
		return authz_refuse(ctx, "error.send-email.forbidden");
	if ((*may_widen = send_email_may_widen(ctx->db, ctx->a, ctx->sess->authority_id)) == -1)
		return 500;
	c->widen = strcmp(criterion(ctx, post, "mine"), "no") == 0;
	if (c->widen && !*may_widen) {
		log_warn("user %lld asked to switch \"My authorities only\" off", ctx->sess->user_id);
		return authz_refuse(ctx, "error.send-email.widen-forbidden");
	}
	c->module = criterion(ctx, post, "module");
	c->country = criterion(ctx, post, "country");
	c->type = criterion(ctx, post, "type");
	return 0;
}

static int
chosen(const struct send_email_choice *ch, const char *id)
{
	for (size_t i = 0; i < ch->n; i++)
		if (strcmp(ch->ids[i], id) == 0)
			return 1;
	return 0;
}

/* The form with the search's results; error: a refusal's rule; preview: count the choice. */
static int
form_page(struct hctx *ctx, const struct send_email_criteria *c, int may_widen,
    const struct send_email_choice *ch, const char *text, const char *error, int preview)
{
	const struct send_email_choice all = { 1, NULL, 0 };
	long long authorities, people;
	xmlNodePtr page, n, list, choices;
	PGresult *r;

	if ((page = page_model(ctx, "send-email")) == NULL)
		return 500;
	n = model_add(page, "criteria", NULL);
	model_attr(n, "mine", c->widen ? "no" : "yes");
	model_attr(n, "module", c->module);
	model_attr(n, "country", c->country);
	model_attr(n, "type", c->type);
	if (may_widen)
		model_attr(n, "may-widen", "true");
	if (form_choices_model(ctx->db, ctx->a, page) == -1 ||
	    (r = db_exec(ctx->db, ctx->a, &q_modules, NULL)) == NULL)
		return 500;
	choices = page->last;
	for (int i = 0; i < PQntuples(r); i++)
		model_attr(model_add(choices, "module", db_value(r, i, 1)), "code", db_value(r, i, 0));
	if ((r = send_email_search(ctx->db, ctx->a, ctx->sess->authority_id, c, RESULTS_SHOWN))
	    == NULL || send_email_reach(ctx->db, ctx->a, ctx->sess->authority_id, c, &all,
	    &authorities, &people) == -1)
		return 500;
	list = model_add(page, "results", NULL);
	model_attrf(list, "authorities", "%lld", authorities);
	model_attrf(list, "people", "%lld", people);
	if (PQntuples(r) > RESULTS_SHOWN)
		model_attrf(list, "more-than", "%d", RESULTS_SHOWN);
	for (int i = 0; i < PQntuples(r) && i < RESULTS_SHOWN; i++) {
		n = model_add(list, "result", db_value(r, i, 1));
		model_attr(n, "id", db_value(r, i, 0));
		model_attr(n, "informal-title", db_value(r, i, 2));
		model_attr(n, "country", db_value(r, i, 3));
		model_attr(n, "type", db_value(r, i, 4));
		if (chosen(ch, db_value(r, i, 0)))
			model_attr(n, "chosen", "true");
	}
	n = model_add(page, "send", NULL);
	model_attr(n, "to", ch->all ? "all" : "chosen");
	model_attr(n, "error", error);
	model_attrf(n, "max", "%d", SEND_EMAIL_TEXT_MAX);
	model_add(n, "message", text);
	if (preview && error == NULL) {
		if (send_email_reach(ctx->db, ctx->a, ctx->sess->authority_id, c, ch, &authorities,
		    &people) == -1)
			return 500;
		n = model_add(page, "preview", NULL);
		model_attrf(n, "authorities", "%lld", authorities);
		model_attrf(n, "people", "%lld", people);
	}
	return page_render(ctx, page);
}

int
page_send_email_form(struct hctx *ctx)
{
	const struct send_email_choice none = { 0, NULL, 0 };
	struct send_email_criteria c;
	int may_widen, rc;

	if ((rc = prepare(ctx, 0, &c, &may_widen)) != 0)
		return rc;
	return form_page(ctx, &c, may_widen, &none, "", NULL, 0);
}

/* The ids of the chosen authorities, as canonical decimals; 0, or 400 for a bad one, 500. */
static int
read_ids(struct hctx *ctx, struct send_email_choice *ch)
{
	const struct http_req *req = ctx->req;
	const char **ids;
	long long id;
	size_t n = 0;

	if ((ids = arena_alloc(ctx->a, (req->nbody + 1) * sizeof(*ids))) == NULL)
		return 500;
	for (size_t i = 0; i < req->nbody; i++) {
		if (strcmp(req->body_fields[i].name, "authority") != 0)
			continue;
		if ((id = page_parse_id(req->body_fields[i].value)) < 0)
			return 400;
		if ((ids[n++] = arena_printf(ctx->a, "%lld", id)) == NULL)
			return 500;
	}
	ch->ids = ids;
	ch->n = n;
	return 0;
}

/* The message as people mean it: line ends as LF, whatever the browser sent; NULL on OOM. */
static char *
normalised(struct arena *a, const char *s)
{
	char *out = arena_strdup(a, s), *w = out;

	if (out == NULL)
		return NULL;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\r') {
			*w++ = '\n';
			if (p[1] == '\n')
				p++;
		} else
			*w++ = *p;
	}
	*w = '\0';
	return out;
}

static int
blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t')
			return 0;
	return 1;
}

int
page_send_email(struct hctx *ctx)
{
	struct send_email_criteria c;
	struct send_email_choice ch = { 0, NULL, 0 };
	const char *to = http_form(ctx->req, "to"), *action = http_form(ctx->req, "action");
	const char *raw = http_form(ctx->req, "message"), *error = NULL;
	long long id, authorities, queued;
	char *text;
	int may_widen, rc, preview;

	if ((rc = prepare(ctx, 1, &c, &may_widen)) != 0)
		return rc;
	ch.all = to != NULL && strcmp(to, "all") == 0;
	if ((rc = read_ids(ctx, &ch)) != 0)
		return rc;
	/* Before anything else: an id outside what the sender may reach is a crafted form. */
	if ((rc = send_email_ids_reachable(ctx->db, ctx->a, ctx->sess->authority_id, &c, &ch)) != 1) {
		if (rc == -1)
			return 500;
		log_warn("user %lld chose authorities outside what they may write to",
		    ctx->sess->user_id);
		return authz_refuse(ctx, "error.send-email.outside");
	}
	if ((text = normalised(ctx->a, raw != NULL ? raw : "")) == NULL)
		return 500;
	preview = action != NULL && strcmp(action, "preview") == 0;
	if (!ch.all && ch.n == 0)
		error = "none-chosen";
	else if (blank(text))
		error = preview ? NULL : "required";
	else
		error = textcheck_text(text, SEND_EMAIL_TEXT_MAX);
	if (error != NULL || preview) {
		if (error != NULL)
			ctx->resp->status = 422;
		return form_page(ctx, &c, may_widen, &ch, text, error, preview);
	}
	if (db_begin(ctx->db) == -1)
		return 500;
	if (send_email_queue(ctx->db, ctx->a, ctx->sess->user_id, ctx->sess->authority_id, &c, &ch,
	    text, &id, &authorities, &queued) == -1) {
		db_rollback(ctx->db);
		return 500;
	}
	if (authorities == 0) {
		/* Every chosen one is inactive now: nothing to record, nothing sent. */
		db_rollback(ctx->db);
		ctx->resp->status = 422;
		return form_page(ctx, &c, may_widen, &ch, text, "no-recipients", 0);
	}
	if (db_commit(ctx->db) == -1)
		return 500;
	log_info("user %lld sent message %lld to %lld authorities, %lld mails queued",
	    ctx->sess->user_id, id, authorities, queued);
	return resp_redirect(ctx->resp, arena_printf(ctx->a, "/admin/sent-emails/%lld", id)) == -1 ?
	    500 : 0;
}

static void
counts(xmlNodePtr n, const PGresult *r, int i)
{
	model_attr(n, "authorities", db_value(r, i, 5));
	model_attr(n, "queued", db_value(r, i, 6));
	model_attr(n, "delivered", db_value(r, i, 7));
	model_attr(n, "failed", db_value(r, i, 8));
	model_attrf(n, "waiting", "%lld", db_int(r, i, 6) - db_int(r, i, 7) - db_int(r, i, 8));
	model_attr(n, "widened", db_value(r, i, 9));
}

/* The record is the sender's authority's: its Administrators read it, nobody else. */
int
page_sent_emails(struct hctx *ctx)
{
	const char *params[2];
	xmlNodePtr page, list, n;
	PGresult *r;

	if (!ctx->sess->is_admin)
		return authz_refuse(ctx, "error.send-email.list-forbidden");
	params[0] = arena_printf(ctx->a, "%lld", ctx->sess->authority_id);
	params[1] = arena_printf(ctx->a, "%d", SENT_SHOWN);
	if ((r = db_exec(ctx->db, ctx->a, &q_sent, params)) == NULL ||
	    (page = page_model(ctx, "sent-emails")) == NULL)
		return 500;
	list = model_add(page, "messages", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(list, "message", db_value(r, i, 4));
		model_attr(n, "id", db_value(r, i, 0));
		model_attr(n, "sent-at", db_value(r, i, 1));
		model_attr(n, "sender", db_value(r, i, 2));
		model_attr(n, "sender-email", db_value(r, i, 3));
		counts(n, r, i);
	}
	return page_render(ctx, page);
}

int
page_sent_email(struct hctx *ctx)
{
	long long id = page_parse_id(ctx->args[0]);
	const char *params[2];
	xmlNodePtr page, m, list, n;
	PGresult *r;

	if (id < 0)
		return 404;
	if (!ctx->sess->is_admin)
		return authz_refuse(ctx, "error.send-email.list-forbidden");
	params[0] = arena_printf(ctx->a, "%lld", id);
	params[1] = arena_printf(ctx->a, "%lld", ctx->sess->authority_id);
	if ((r = db_exec(ctx->db, ctx->a, &q_message, params)) == NULL)
		return 500;
	if (PQntuples(r) != 1)
		return 404;
	if ((page = page_model(ctx, "sent-email")) == NULL)
		return 500;
	m = model_add(page, "message", db_value(r, 0, 4));
	model_attr(m, "id", db_value(r, 0, 0));
	model_attr(m, "sent-at", db_value(r, 0, 1));
	model_attr(m, "sender", db_value(r, 0, 2));
	model_attr(m, "sender-email", db_value(r, 0, 3));
	model_attr(m, "sender-authority", db_value(r, 0, 10));
	counts(m, r, 0);
	params[1] = arena_printf(ctx->a, "%d", AUTHORITIES_SHOWN);
	if ((r = db_exec(ctx->db, ctx->a, &q_message_authorities, params)) == NULL)
		return 500;
	list = model_add(page, "authorities", NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(list, "authority", db_value(r, i, 1));
		model_attr(n, "id", db_value(r, i, 0));
		model_attr(n, "country", db_value(r, i, 2));
	}
	return page_render(ctx, page);
}
