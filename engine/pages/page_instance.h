/*
 * page_instance.h — the generic workflow pages, computed from the definition
 * an instance runs: its state, data and history, and a form for each
 * transition the signed-in user may fire (with the transition's inputs).
 * Adding a transition to the XML and deploying it adds its form here.
 */
#ifndef IMIFLOW_PAGE_INSTANCE_H
#define IMIFLOW_PAGE_INSTANCE_H

#include <libxml/tree.h>

struct hctx;

int page_workflows(struct hctx *ctx);        /* GET /workflows */
int page_workflow_start(struct hctx *ctx);   /* POST /workflows/{name}/start */
int page_workflow_diagram(struct hctx *ctx); /* GET /workflows/{name}: SVG with instance counts */
int page_instance(struct hctx *ctx);         /* GET /instances/{id} */
int page_instance_fire(struct hctx *ctx);    /* POST /instances/{id}/fire/{event} */
int page_instance_copy(struct hctx *ctx);    /* POST /instances/{id}/copy: a case into a new draft */
int page_instance_document(struct hctx *ctx); /* GET /instances/{id}/documents/{doc} */

/*
 * Adds <transitions instance rev state next> to parent with a form per
 * transition of the instance that the signed-in user may fire; events (NULL:
 * all) limits them to those named.  Domain pages use it so that the XML stays
 * the source of their buttons; next is where the form returns after firing.
 * 0 (also when there is no such instance) or -1.
 */
int page_instance_actions(struct hctx *ctx, xmlNodePtr parent, long long id,
    const char *const *events, const char *next);

/*
 * Sends document doc of instance iid as a download; 404 when there is none,
 * or the signed-in user may not see the instance (the rule it runs, registry_domain.seen_by).
 */
int page_document_send(struct hctx *ctx, long long iid, long long doc);

#endif
