/* option_source.c — see option_source.h. */
#include "option_source.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "db.h"
#include "model.h"
#include "registry.h"
#include "workflow.h"

/*
 * The source's SQL wrapped once per source: its rows filtered to values a form
 * may carry (a row that breaks the rule is never offered nor accepted), and the
 * one row of a value.  $1 is named in the wrapper as text so a source that
 * ignores the module still prepares.
 */
#define LIST_SQL "SELECT s.v, coalesce(s.l, s.v), coalesce(s.g, '') FROM (SELECT o.value::text," \
	" o.label::text, o.grp::text FROM (%s) o(value, label, grp)) s(v, l, g)" \
	" WHERE s.v ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' AND ($1::text IS NULL OR true)"
#define FIND_SQL LIST_SQL " AND s.v = $2::text LIMIT 1"

struct source_queries {
	char lname[48], fname[48];
	char *lsql, *fsql;
	struct db_query list, find;
};

static struct source_queries *sq;
static size_t nsq;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
build(void)
{
	const struct registry_option_source *s = registry_option_sources();
	struct buf b;

	while (s[nsq].name != NULL)
		nsq++;
	if (nsq == 0 || (sq = calloc(nsq, sizeof(*sq))) == NULL) {
		nsq = 0;
		return;
	}
	for (size_t i = 0; i < nsq; i++) {
		buf_init(&b);
		buf_printf(&b, LIST_SQL, s[i].sql);
		sq[i].lsql = buf_ok(&b) ? b.data : NULL;
		buf_init(&b);
		buf_printf(&b, FIND_SQL, s[i].sql);
		sq[i].fsql = buf_ok(&b) ? b.data : NULL;
		snprintf(sq[i].lname, sizeof(sq[i].lname), "option_source_list_%zu", i);
		snprintf(sq[i].fname, sizeof(sq[i].fname), "option_source_find_%zu", i);
		sq[i].list = (struct db_query){ sq[i].lname, sq[i].lsql, 1 };
		sq[i].find = (struct db_query){ sq[i].fname, sq[i].fsql, 2 };
	}
}

static const struct source_queries *
queries(const char *name)
{
	const struct registry_option_source *s = registry_option_source(name);
	size_t i;

	pthread_once(&once, build);
	if (s == NULL || (i = (size_t)(s - registry_option_sources())) >= nsq ||
	    sq[i].lsql == NULL || sq[i].fsql == NULL)
		return NULL;
	return &sq[i];
}

int
option_find(struct db *db, struct arena *a, const struct wf_input *in, const char *module,
    const char *v, const char **label)
{
	const struct source_queries *q;
	const char *params[2] = { module, v };
	PGresult *r;

	if (label != NULL)
		*label = NULL;
	if (in->options_from == NULL) {
		for (size_t k = 0; k < in->noptions; k++)
			if (strcmp(in->options[k].value, v) == 0) {
				if (label != NULL)
					*label = in->options[k].label;
				return 1;
			}
		return 0;
	}
	/* A source no longer registered offers nothing: lint names it. */
	if ((q = queries(in->options_from)) == NULL)
		return 0;
	if ((r = db_exec(db, a, &q->find, params)) == NULL)
		return -1;
	if (PQntuples(r) == 0)
		return 0;
	if (label != NULL)
		*label = db_value(r, 0, 1);
	return 1;
}

int
option_add_all(struct db *db, struct arena *a, const struct wf_input *in, const char *module,
    xmlNodePtr parent)
{
	const struct source_queries *q;
	const char *params[1] = { module };
	PGresult *r;

	if (in->options_from == NULL) {
		for (size_t k = 0; k < in->noptions; k++) {
			xmlNodePtr o = model_add(parent, "option", NULL);
			model_attr(o, "value", in->options[k].value);
			model_attr(o, "label", in->options[k].label);
		}
		return 0;
	}
	if ((q = queries(in->options_from)) == NULL)
		return 0;
	if ((r = db_exec(db, a, &q->list, params)) == NULL)
		return -1;
	for (int k = 0; k < PQntuples(r); k++) {
		xmlNodePtr o = model_add(parent, "option", NULL);
		model_attr(o, "value", db_value(r, k, 0));
		model_attr(o, "label", db_value(r, k, 1));
		if (db_value(r, k, 2)[0] != '\0')
			model_attr(o, "group", db_value(r, k, 2));
	}
	return 0;
}
