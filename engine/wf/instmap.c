/* instmap.c — see instmap.h. */
#include "instmap.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "arena.h"
#include "file.h"
#include "workflow.h"
#include "xmlread.h"

#define INSTMAP_NS "urn:imiflow:instance-map:1"
#define MAX_MAP_BYTES (1024 * 1024)

int
instmap_is(const char *content, size_t len)
{
	return xmlread_root_is(content, len, "instance-map");
}

const struct instmap_entry *
instmap_find(const struct instmap *m, const char *from)
{
	for (size_t i = 0; i < m->nmaps; i++)
		if (strcmp(m->maps[i].from, from) == 0)
			return &m->maps[i];
	return NULL;
}

struct instmap *
instmap_read(struct arena *a, struct findings *f, const char *path)
{
	struct instmap *m = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	char *text;
	size_t len, k = 0;
	int before = f->count;

	if ((text = file_read(a, path, MAX_MAP_BYTES, &len)) == NULL) {
		findings_report(f, 0, "cannot read (or larger than %d bytes)", MAX_MAP_BYTES);
		return NULL;
	}
	/* The schema is compiled in: no datadir. */
	if ((doc = xmlread_document(f, path, text, len, MAX_MAP_BYTES, "instance-map", INSTMAP_NS,
	    NULL, "instance-map.rng")) == NULL)
		goto out;
	root = xmlDocGetRootElement(doc);
	if ((m = arena_calloc(a, 1, sizeof(*m))) == NULL)
		goto oom;
	m->file = path;
	m->workflow = xmlread_attr(a, root, "workflow");
	m->line = (int)xmlGetLineNo(root);
	for (xmlNodePtr n = root->children; n != NULL; n = n->next)
		if (xmlread_is(n, "map"))
			m->nmaps++;
	if ((m->maps = arena_calloc(a, m->nmaps, sizeof(*m->maps))) == NULL || m->workflow == NULL)
		goto oom;
	for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
		struct instmap_entry *e = &m->maps[k];
		const struct instmap_entry *seen;
		if (!xmlread_is(n, "map"))
			continue;
		e->from = xmlread_attr(a, n, "from");
		e->to = xmlread_attr(a, n, "to");
		e->line = (int)xmlGetLineNo(n);
		if (e->from == NULL || e->to == NULL)
			goto oom;
		/* Before counting it in: instmap_find looks at the first k only. */
		m->nmaps = k;
		if ((seen = instmap_find(m, e->from)) != NULL)
			findings_report(f, e->line, "state \"%s\" is mapped twice (also at line %d)",
			    e->from, seen->line);
		k++;
	}
	m->nmaps = k;
	goto out;
oom:
	findings_report(f, 0, "out of memory");
out:
	xmlFreeDoc(doc);
	return f->count > before ? NULL : m;
}

int
instmap_check(struct findings *f, const struct instmap *m, const char *name,
    const struct wf_def *old, const struct wf_def *new)
{
	int before = f->count;

	if (strcmp(m->workflow, name) != 0)
		findings_report(f, m->line, "maps states of \"%s\", not of \"%s\"", m->workflow, name);
	for (size_t i = 0; i < m->nmaps; i++) {
		if (wf_state(old, m->maps[i].from) == NULL)
			findings_report(f, m->maps[i].line, "\"%s\" is not a state of %s version %d",
			    m->maps[i].from, name, old->version);
		if (wf_state(new, m->maps[i].to) == NULL)
			findings_report(f, m->maps[i].line, "\"%s\" is not a state of %s version %d",
			    m->maps[i].to, name, new->version);
	}
	return f->count - before;
}

int
instmap_lint(const char *path)
{
	struct findings f;
	struct arena *a;

	findings_init(&f, path, NULL, NULL);
	if ((a = arena_new()) == NULL)
		return 1;
	(void)instmap_read(a, &f, path);
	arena_free(a);
	return f.count;
}
