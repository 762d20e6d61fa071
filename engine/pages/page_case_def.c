/* page_case_def.c — see page_case_def.h.  Until the case primitives are merged: no case. */
#include "page_case_def.h"

#include "handler.h"
#include "workflow.h"

int
case_def_shape(const struct wf_def *def)
{
	(void)def;
	return 0;
}

size_t
case_def_comment_types(const struct wf_def *def, struct case_ctype *out, size_t max)
{
	(void)def, (void)out, (void)max;
	return 0;
}

const char *
case_def_field_label(const struct wf_def *def, const char *name)
{
	(void)def, (void)name;
	return NULL;
}

int
case_hidden_fields(struct hctx *ctx, const struct wf_def *def, long long iid, const char *module,
    const char **out, size_t max)
{
	(void)ctx, (void)def, (void)iid, (void)module, (void)out, (void)max;
	return 0;
}

void
case_def_roles_model(const struct wf_def *def, xmlNodePtr parent)
{
	(void)def, (void)parent;
}

int
case_form_model(struct hctx *ctx, const struct wf_def *def, long long iid, const char *module,
    int version, xmlNodePtr parent)
{
	(void)ctx, (void)def, (void)iid, (void)module, (void)version, (void)parent;
	return 0;
}

int
case_copy(struct hctx *ctx, long long iid, long long *copy)
{
	(void)ctx, (void)iid, (void)copy;
	return 1;
}

int
case_report_open(struct hctx *ctx, const struct wf_def *def, long long iid)
{
	(void)ctx, (void)def, (void)iid;
	return 0;
}
