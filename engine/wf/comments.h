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


/*
 * Registers with firing (wf_fire_step_add): the comment inputs checked
 * against the instance, then <add-comment/> or <withdraw-comment/>; the
 * history row gains "comment" (the id added) or "withdrawn" (the id), never
 * the text or the reason.  Once, at start.
 */
int comments_register(void);

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
