/* page_refusal.c — see page_refusal.h. */
#include "page_refusal.h"

#include "engine.h"

int
page_refused(struct hctx *ctx, const struct wf_outcome *out)
{
	ctx->error_detail = "error.workflow.forbidden";
	ctx->error_arg = out->detail;
	ctx->error_reason.kind = wf_reason_kind_name(out->reason.kind);
	ctx->error_reason.name = out->reason.name;
	ctx->error_reason.value = out->reason.value;
	ctx->error_reason.negate = out->reason.negate;
	return 403;
}

void
page_changed_meanwhile(struct hctx *ctx, const struct wf_outcome *out)
{
	if (out->state_label != NULL) {
		ctx->error_detail = "error.workflow.changed-to";
		ctx->error_arg = out->state_label;
	} else {
		ctx->error_detail = "error.workflow.changed";
		ctx->error_arg = NULL;
	}
}
