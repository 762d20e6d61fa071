/*
 * comments.h — the comments of a case: typed (<comments><type/>), added by
 * <add-comment/>, answering another (an objection to a closure proposal),
 * withdrawn with a reason by <withdraw-comment/>; the row and both history
 * rows stay (sql/022_case_forms.sql).  An input of type comment names one
 * comment of the instance (of-type: of that type), not withdrawn.
 */
#ifndef IMIFLOW_COMMENTS_H
#define IMIFLOW_COMMENTS_H

#include <libxml/tree.h>

#include "engine.h"

struct buf;

/*
 * For wf_fire, inside the firing transaction after the inputs passed their
 * checks: checks the comment inputs against the instance, then adds or
 * withdraws; seq is the history row the transition writes, and hist (its
 * inputs, a JSON object) gains "comment" (added) or "withdrawn" (the id).
 * 0 done, 1 an input refused (in out), -1 error.
 */
int comments_fire(struct db *db, struct arena *a, const struct wf_transition *t, long long iid,
    const struct wf_actor *actor, long long seq, const struct wf_inputs *in, struct buf *hist,
    struct wf_outcome *out);

/*
 * <comments [next=ID]><comment id= type= seq= by= authority= at= [answers=]
 * [withdrawn="true" withdrawn-at-seq= [reason=]] [erased="true"]>body</comment>…
 * under parent: at most limit comments of instance iid with an id above after,
 * oldest first; next= is the after= of the following page.  A withdrawn
 * comment shows no body; its reason only when reasons.  The caller has
 * checked that the reader may see the instance.  0, or -1.
 */
int comments_list(struct db *db, struct arena *a, long long iid, long long after, int limit,
    int reasons, xmlNodePtr parent);

/* <option value=ID label="TYPE #ID: start of body"/> under input: the comments an input may name. */
int comments_options(struct db *db, struct arena *a, long long iid, const char *of_type,
    xmlNodePtr input);

#endif
