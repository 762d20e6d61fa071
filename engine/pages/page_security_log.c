/* page_security_log.c — see page_security_log.h. */
#include "page_security_log.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "handler.h"
#include "http.h"
#include "httplex.h"
#include "model.h"
#include "security_log.h"

#define PER_PAGE 50             /* the query's OFFSET factor; it asks for one row more */
#define MAX_USERNAME 64

/* One row more than a page (51 of 50): whether there is an older page. */
static const struct db_query q_list = { "security_log_list",
	"SELECT l.id, to_char(l.at, 'YYYY-MM-DD HH24:MI:SS'), l.kind,"
	"       coalesce(au.username, l.actor_user_id::text), l.actor_authority_id::text,"
	"       aa.official_name, coalesce(su.username, l.subject_user_id::text), l.address,"
	"       l.request_id, l.detail"
	"  FROM security_log l"
	"  LEFT JOIN users au ON au.id = l.actor_user_id"
	"  LEFT JOIN authorities aa ON aa.id = l.actor_authority_id"
	"  LEFT JOIN users su ON su.id = l.subject_user_id"
	" WHERE ($1 = '' OR l.kind = $1)"
	"   AND ($2 = '' OR lower(au.username) = lower($2) OR lower(su.username) = lower($2))"
	" ORDER BY l.at DESC, l.id DESC LIMIT 51 OFFSET $3::int * 50", 3 };

/* The page number of ?page=, 0 when absent or malformed. */
static long
page_number(const char *s)
{
	if (s == NULL || s[0] == '\0' || strlen(s) > 5 || strspn(s, "0123456789") != strlen(s))
		return 0;
	return strtol(s, NULL, 10);
}

int
page_security_log(struct hctx *ctx)
{
	static const char *const attrs[] = { "id", "at", "kind", "actor", "authority-id",
	    "authority", "subject", "address", "request-id" };
	const char *kind = http_query(ctx->req, "kind"), *user = http_query(ctx->req, "user");
	const char *params[3];
	long page_no = page_number(http_query(ctx->req, "page"));
	xmlNodePtr page, c, kinds, list;
	PGresult *r;
	int rows;

	/* Not the helpdesk's Administrators': as if there were no such page. */
	if (!ctx->sess->is_helpdesk || !ctx->sess->is_admin)
		return 404;
	/* An unknown kind or an over-long name is ignored, like any malformed criterion. */
	if (kind == NULL || security_log_kind(kind) == SECLOG__MAX)
		kind = "";
	if (user == NULL || strlen(user) > MAX_USERNAME || !http_valid_text(user, strlen(user)))
		user = "";
	params[0] = kind;
	params[1] = user;
	if ((params[2] = arena_printf(ctx->a, "%ld", page_no)) == NULL)
		return 500;
	if ((r = db_exec(ctx->db, ctx->a, &q_list, params)) == NULL)
		return 500;
	if ((page = page_model(ctx, "security-log")) == NULL)
		return 500;
	c = model_add(page, "criteria", NULL);
	model_attr(c, "kind", kind);
	model_attr(c, "user", user);
	model_attrf(c, "page", "%ld", page_no);
	kinds = model_add(page, "kinds", NULL);
	for (int k = 0; k < SECLOG__MAX; k++)
		model_add(kinds, "kind", security_log_kind_name((enum seclog_kind)k));
	list = model_add(page, "entries", NULL);
	rows = PQntuples(r);
	if (rows > PER_PAGE) {
		model_attr(list, "older", "true");
		rows = PER_PAGE;
	}
	if (page_no > 0)
		model_attr(list, "newer", "true");
	for (int i = 0; i < rows; i++) {
		xmlNodePtr e = model_add(list, "entry", db_value(r, i, 9));

		for (int k = 0; k < 9; k++)
			if (db_value(r, i, k) != NULL)
				model_attr(e, attrs[k], db_value(r, i, k));
	}
	return page_render(ctx, page);
}
