/* page_scoreboard.c — see page_scoreboard.h. */
#include "page_scoreboard.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "handler.h"
#include "http.h"
#include "model.h"

static const struct db_query q_modules = { "scoreboard_modules",
	"SELECT code, name FROM modules WHERE kind = 'request' ORDER BY position, code", 0 };
static const struct db_query q_lines = { "scoreboard_lines",
	"SELECT key, label, sent, received, accepted_in_time, days_to_answer, answered_in_time,"
	"       negative_ratings FROM scoreboard($1, $2)", 2 };

/*
 * The thresholds of the EU Single Market Scoreboard: shares green from 80 %,
 * yellow from 60 %; days green below 16, yellow to 25; negative ratings green
 * below 5 %, yellow below 15 %.
 */
const char *
scoreboard_colour(const char *measure, const char *value)
{
	double v;

	if (value == NULL || value[0] == '\0')
		return NULL;
	v = strtod(value, NULL);
	if (strcmp(measure, "days-to-answer") == 0)
		return v < 16 ? "green" : v <= 25 ? "yellow" : "red";
	if (strcmp(measure, "negative-ratings") == 0)
		return v < 5 ? "green" : v < 15 ? "yellow" : "red";
	return v >= 80 ? "green" : v >= 60 ? "yellow" : "red";
}

int
page_scoreboard(struct hctx *ctx)
{
	static const char *const measures[] = { "accepted-in-time", "days-to-answer",
	    "answered-in-time", "negative-ratings" };
	const char *module = http_query(ctx->req, "module"), *by = http_query(ctx->req, "by");
	const char *params[2];
	xmlNodePtr page, list, n, m;
	PGresult *mods, *r;
	int known = 0;

	if ((mods = db_exec(ctx->db, ctx->a, &q_modules, NULL)) == NULL)
		return 500;
	if (PQntuples(mods) == 0)
		return 404;
	if (module == NULL)
		module = db_value(mods, 0, 0);
	by = by != NULL && strcmp(by, "country") == 0 ? "country" : "authority";
	if ((page = page_model(ctx, "scoreboard")) == NULL)
		return 500;
	list = model_add(page, "modules", NULL);
	for (int i = 0; i < PQntuples(mods); i++) {
		m = model_add(list, "module", db_value(mods, i, 1));
		model_attr(m, "code", db_value(mods, i, 0));
		if (strcmp(module, db_value(mods, i, 0)) == 0) {
			model_attr(m, "selected", "true");
			known = 1;
		}
	}
	if (!known)
		return 404;
	params[0] = module;
	params[1] = by;
	if ((r = db_exec(ctx->db, ctx->a, &q_lines, params)) == NULL)
		return 500;
	list = model_add(page, "scoreboard", NULL);
	model_attr(list, "module", module);
	model_attr(list, "by", by);
	for (int i = 0; i < PQntuples(r); i++) {
		n = model_add(list, "line", db_value(r, i, 1));
		model_attr(n, "key", db_value(r, i, 0));
		model_attr(n, "sent", db_value(r, i, 2));
		model_attr(n, "received", db_value(r, i, 3));
		for (int k = 0; k < 4; k++) {
			m = model_add(n, "figure", db_value(r, i, 4 + k));
			model_attr(m, "measure", measures[k]);
			model_attr(m, "colour", scoreboard_colour(measures[k], db_value(r, i, 4 + k)));
		}
	}
	return page_render(ctx, page);
}
