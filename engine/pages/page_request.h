/*
 * page_request.h — information requests in the pages: creating a draft
 * (module, responder, the person or business concerned, the chosen
 * questions of the module's question set, the reply date) and editing it,
 * the list of one's requests, and the request page with its questions in
 * the reader's language, the answer form for the responder, and the
 * transitions of workflows/information-request.xml this user may fire.
 * Each reads only the requests the user may see (request_visible_to(),
 * sql/015); the helpdesk, no party, gets a support view of their metadata.
 * What retention hides (sql/016_retention_personal.sql) is left out of every
 * list, page, print view and ?format=xml.
 */
#ifndef IMIFLOW_PAGE_REQUEST_H
#define IMIFLOW_PAGE_REQUEST_H

struct hctx;

int page_requests(struct hctx *ctx);          /* GET /requests */
int page_request_new_form(struct hctx *ctx);  /* GET /requests/new[?module=M] */
int page_request_new(struct hctx *ctx);       /* POST /requests/new */
int page_request(struct hctx *ctx);           /* GET /requests/{id}, or its support view */
/* GET /requests/{id}/edit: a draft's fields, for its author (the transition "edit"). */
int page_request_edit_form(struct hctx *ctx);
int page_request_edit(struct hctx *ctx);      /* POST /requests/{id}/edit */
int page_request_document(struct hctx *ctx); /* GET /requests/{id}/documents/{doc} */
int page_request_answers(struct hctx *ctx);   /* POST /requests/{id}/answers */
/* POST /requests/{id}/disclose: a helpdesk Administrator records why it reads blocked personal data. */
int page_request_disclose(struct hctx *ctx);
/* GET /tasks: My tasks — requests to approve, accept, allocate, answer, and awaiting information. */
int page_tasks(struct hctx *ctx);

#endif
