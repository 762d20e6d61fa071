/* comments.c — see comments.h. */
#include "comments.h"

#include <string.h>

#include "arena.h"
#include "caseform.h"
#include "db.h"
#include "http.h"
#include "model.h"
#include "workflow.h"

/* A comment of instance $1 that an input may name: not withdrawn, of type $3 when given. */
static const struct db_query q_named = { "comments_named",
	"SELECT 1 FROM wf_comments WHERE instance_id = $1 AND id = $2::bigint"
	"   AND withdrawn_seq IS NULL AND ($3::text IS NULL OR type = $3)", 3 };
static const struct db_query q_add = { "comments_add",
	"WITH c AS (INSERT INTO wf_comments (instance_id, seq, type, body, answers, by_user,"
	"           by_authority, at) VALUES ($1, $2, $3, $4, $5::bigint, $6, $7, imi_now())"
	"           RETURNING id)"
	" SELECT ($8::jsonb || jsonb_build_object('comment', c.id))::text FROM c", 8 };
static const struct db_query q_withdraw = { "comments_withdraw",
	"WITH c AS (UPDATE wf_comments SET withdrawn_seq = $3, withdrawn_reason = $4,"
	"           withdrawn_by = $5 WHERE instance_id = $1 AND id = $2::bigint"
	"           AND withdrawn_seq IS NULL RETURNING id)"
	" SELECT ($6::jsonb || jsonb_build_object('withdrawn', c.id))::text FROM c", 6 };
static const struct db_query q_list = { "comments_list",
	"SELECT c.id, c.type, c.seq, coalesce(u.first_name || ' ' || u.last_name, ''),"
	"       coalesce(a.official_name, ''), to_char(c.at, 'YYYY-MM-DD HH24:MI'), c.answers,"
	"       c.withdrawn_seq, c.withdrawn_reason, c.erased_at IS NOT NULL, c.body"
	"  FROM wf_comments c LEFT JOIN users u ON u.id = c.by_user"
	"  LEFT JOIN authorities a ON a.id = c.by_authority"
	" WHERE c.instance_id = $1 AND c.id > $2 ORDER BY c.id LIMIT $3", 3 };
static const struct db_query q_options = { "comments_options",
	/* Its author and its words (issue 16: no type code, no "#id" on the page). */
	"SELECT c.id, coalesce(a.official_name || ': ', '') || left(coalesce(c.body, ''), 60)"
	"  FROM wf_comments c LEFT JOIN authorities a ON a.id = c.by_authority"
	" WHERE c.instance_id = $1 AND c.withdrawn_seq IS NULL AND ($2::text IS NULL OR c.type = $2)"
	" ORDER BY c.id LIMIT 500", 2 };

static const char *
value(const struct wf_inputs *in, const char *name)
{
	const char *v = in != NULL && name != NULL ? http_field_get(in->fields, in->nfields, name) : NULL;

	return v != NULL && v[0] != '\0' ? v : NULL;
}

static int
refuse(struct wf_outcome *out, const char *input)
{
	if (out->nerrors < WF_MAX_ERRORS)
		out->errors[out->nerrors++] = (struct wf_field_error){ input, "comment" };
	return 1;
}

/* Every comment input names a comment of this instance it may name. */
static int
check_named(struct db *db, struct arena *a, const struct wf_transition *t, long long iid,
    const struct wf_inputs *in, struct wf_outcome *out)
{
	const char *params[3], *v;
	PGresult *r;
	int refused = 0;

	for (size_t i = 0; i < t->ninputs; i++) {
		if (t->inputs[i].type != WF_IN_COMMENT || (v = value(in, t->inputs[i].name)) == NULL)
			continue;
		if (strspn(v, "0123456789") != strlen(v) || strlen(v) > 18) {
			refused = refuse(out, t->inputs[i].name);
			continue;
		}
		params[0] = arena_printf(a, "%lld", iid);
		params[1] = v;
		params[2] = t->inputs[i].of_type;
		if (params[0] == NULL || (r = db_exec(db, a, &q_named, params)) == NULL)
			return -1;
		if (PQntuples(r) != 1)
			refused = refuse(out, t->inputs[i].name);
	}
	return refused;
}

static int
fire_step(struct wf_fire *f, const char **hist)
{
	const struct wf_transition *t = f->t;
	const struct wf_caseops *ops = t->caseops;
	const struct wf_actor *actor = f->actor;
	const struct wf_inputs *in = f->in;
	struct wf_outcome *out = f->out;
	struct db *db = f->db;
	struct arena *a = f->a;
	long long iid = f->instance_id, seq = f->rev;
	const char *params[8], *user, *authority;
	PGresult *r;
	int rc;

	if ((rc = check_named(db, a, t, iid, in, out)) != 0)
		return rc;
	if (ops == NULL || (ops->add_line == 0 && ops->withdraw_line == 0))
		return 0;
	user = actor->kind == WF_ACTOR_SYSTEM ? NULL : arena_printf(a, "%lld", actor->user_id);
	authority = actor->kind == WF_ACTOR_SYSTEM ? NULL : arena_printf(a, "%lld", actor->authority_id);
	if ((params[0] = arena_printf(a, "%lld", iid)) == NULL)
		return -1;
	if (ops->add_line > 0) {
		params[1] = arena_printf(a, "%lld", seq);
		params[2] = ops->comment_type;
		params[3] = value(in, ops->comment_text);
		params[4] = value(in, ops->comment_answers);
		params[5] = user;
		params[6] = authority;
		params[7] = *hist;
		if ((r = db_exec(db, a, &q_add, params)) == NULL || PQntuples(r) != 1)
			return -1;
		*hist = db_value(r, 0, 0);
	}
	if (ops->withdraw_line > 0) {
		if ((params[1] = value(in, ops->withdraw_input)) == NULL)
			return refuse(out, ops->withdraw_input);
		params[2] = arena_printf(a, "%lld", seq);
		params[3] = value(in, ops->withdraw_reason);
		params[4] = user;
		params[5] = *hist;
		if ((r = db_exec(db, a, &q_withdraw, params)) == NULL)
			return -1;
		/* Withdrawn meanwhile by someone else: the form again, with the error. */
		if (PQntuples(r) != 1)
			return refuse(out, ops->withdraw_input);
		*hist = db_value(r, 0, 0);
	}
	return 0;
}

int
comments_register(void)
{
	return wf_fire_step_add(fire_step);
}

int
comments_list(struct db *db, struct arena *a, long long iid, long long after, int limit,
    int reasons, xmlNodePtr parent)
{
	const char *params[3] = { arena_printf(a, "%lld", iid), arena_printf(a, "%lld", after),
	    arena_printf(a, "%d", limit + 1) };
	xmlNodePtr list, n;
	PGresult *r;
	int rows;

	if (params[0] == NULL || params[1] == NULL || params[2] == NULL ||
	    (r = db_exec(db, a, &q_list, params)) == NULL)
		return -1;
	list = model_add(parent, "comments", NULL);
	rows = PQntuples(r);
	/* One more than asked tells whether a next page exists. */
	if (rows > limit) {
		rows = limit;
		model_attr(list, "next", db_value(r, rows - 1, 0));
	}
	for (int i = 0; i < rows; i++) {
		int withdrawn = db_value(r, i, 7) != NULL;
		n = model_add(list, "comment", withdrawn ? NULL : db_value(r, i, 10));
		model_attr(n, "id", db_value(r, i, 0));
		model_attr(n, "type", db_value(r, i, 1));
		model_attr(n, "seq", db_value(r, i, 2));
		model_attr(n, "by", db_value(r, i, 3));
		model_attr(n, "authority", db_value(r, i, 4));
		model_attr(n, "at", db_value(r, i, 5));
		model_attr(n, "answers", db_value(r, i, 6));
		if (withdrawn) {
			model_attr(n, "withdrawn", "true");
			model_attr(n, "withdrawn-at-seq", db_value(r, i, 7));
			if (reasons)
				model_attr(n, "reason", db_value(r, i, 8));
		}
		if (db_bool(r, i, 9))
			model_attr(n, "erased", "true");
	}
	return 0;
}

int
comments_options(struct db *db, struct arena *a, long long iid, const char *of_type,
    xmlNodePtr input)
{
	const char *params[2] = { arena_printf(a, "%lld", iid), of_type };
	xmlNodePtr o;
	PGresult *r;

	if (params[0] == NULL || (r = db_exec(db, a, &q_options, params)) == NULL)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		o = model_add(input, "option", NULL);
		model_attr(o, "value", db_value(r, i, 0));
		model_attr(o, "label", db_value(r, i, 1));
	}
	return 0;
}
