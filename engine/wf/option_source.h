/*
 * option_source.h — the options of a choice field or input: its own <option>s,
 * or the rows of the registered option source it names (options-from="NAME",
 * registry.h), so a domain's data (IMI: the module catalogue's keywords) can
 * be the options without any C naming them.
 *
 * A source's rows depend on the instance's module ($1) and on what the
 * database holds now; a value is accepted only when the source returns it at
 * the time it is saved.  lint's checks of options-from: wf_choice_lint()
 * (workflow.h).
 */
#ifndef IMIFLOW_OPTION_SOURCE_H
#define IMIFLOW_OPTION_SOURCE_H

#include <libxml/tree.h>

struct arena;
struct db;
struct wf_input;

/*
 * Whether v is one of in's options for an instance of module, and its label
 * (*label, may be NULL): 1 yes, 0 no, -1 error.  One query for a source.
 */
int option_find(struct db *db, struct arena *a, const struct wf_input *in, const char *module,
    const char *v, const char **label);

/*
 * Adds <option value label [group]/> to parent for each of in's options, in
 * order; a group is the heading it sits under (a page's <optgroup>).  0 or -1.
 */
int option_add_all(struct db *db, struct arena *a, const struct wf_input *in, const char *module,
    xmlNodePtr parent);

#endif
