/* defs.c — see defs.h. */
#include "defs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "workflow.h"

struct entry {
	struct entry *next;
	struct wf_def *def;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *entries;

static const struct db_query q_newest = { "defs_newest",
	"SELECT max(version) FROM wf_definitions WHERE name = $1", 1 };
static const struct db_query q_content = { "defs_content",
	"SELECT content FROM wf_definitions WHERE name = $1 AND version = $2", 2 };

static const struct wf_def *
find(const char *name, int version)
{
	for (struct entry *e = entries; e != NULL; e = e->next)
		if (e->def->version == version && strcmp(e->def->name, name) == 0)
			return e->def;
	return NULL;
}

static void
to_log(void *arg, const char *file, int line, const char *msg)
{
	(void)arg;
	log_error("deployed definition %s:%d: %s", file, line, msg);
}

const struct wf_def *
defs_get(struct db *db, struct arena *a, const char *datadir, const char *name, int version)
{
	const struct wf_def *found;
	struct wf_def *def = NULL;
	struct entry *e;
	char v[16], label[96];
	const char *params[2] = { name, v };
	const char *content;
	PGresult *r;

	if (version == 0) {
		if ((r = db_exec(db, a, &q_newest, params)) == NULL || db_value(r, 0, 0) == NULL)
			return NULL;
		version = (int)db_int(r, 0, 0);
	}
	pthread_mutex_lock(&lock);
	found = find(name, version);
	pthread_mutex_unlock(&lock);
	if (found != NULL)
		return found;
	snprintf(v, sizeof(v), "%d", version);
	if ((r = db_exec(db, a, &q_content, params)) == NULL || PQntuples(r) != 1)
		return NULL;
	content = db_value(r, 0, 0);
	snprintf(label, sizeof(label), "%s@%d", name, version);
	if ((def = wf_parse(label, content, strlen(content), datadir, to_log, NULL)) == NULL ||
	    wf_link(def, datadir, to_log, NULL) > 0 || (e = calloc(1, sizeof(*e))) == NULL) {
		wf_free(def);
		return NULL;
	}
	def->version = version;
	pthread_mutex_lock(&lock);
	/* Another thread may have loaded it meanwhile: keep the first. */
	if ((found = find(name, version)) == NULL) {
		e->def = def;
		e->next = entries;
		entries = e;
		found = def;
		def = NULL;
		e = NULL;
	}
	pthread_mutex_unlock(&lock);
	free(e);
	wf_free(def);
	return found;
}

void
defs_free(void)
{
	struct entry *e, *n;

	pthread_mutex_lock(&lock);
	for (e = entries; e != NULL; e = n) {
		n = e->next;
		wf_free(e->def);
		free(e);
	}
	entries = NULL;
	pthread_mutex_unlock(&lock);
}
