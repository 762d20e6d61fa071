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
