/*
 * page_instance.h — the generic workflow pages, computed from the definition
 * an instance runs: its state, data and history, and a form for each
 * transition the signed-in user may fire (with the transition's inputs).
 * Adding a transition to the XML and deploying it adds its form here.
 */
#ifndef IMIFLOW_PAGE_INSTANCE_H
#define IMIFLOW_PAGE_INSTANCE_H

struct hctx;

int page_workflows(struct hctx *ctx);        /* GET /workflows */
int page_workflow_start(struct hctx *ctx);   /* POST /workflows/{name}/start */
int page_workflow_diagram(struct hctx *ctx); /* GET /workflows/{name}: SVG with instance counts */
int page_instance(struct hctx *ctx);         /* GET /instances/{id} */
int page_instance_fire(struct hctx *ctx);    /* POST /instances/{id}/fire/{event} */
int page_instance_document(struct hctx *ctx); /* GET /instances/{id}/documents/{doc} */

#endif
