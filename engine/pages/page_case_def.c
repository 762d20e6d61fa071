/*
 * page_case_def.c — see page_case_def.h: the definition as wf/workflow.h,
 * wf/caseform.h and wf/participant_roles.h keep it, and the case-form
 * primitives called for the signed-in user.
 */
#include "page_case_def.h"

#include <string.h>

#include "arena.h"
#include "caseform.h"
#include "engine.h"
#include "handler.h"
#include "model.h"
#include "option_source.h"
#include "participant_roles.h"
#include "workflow.h"

static struct wf_actor
actor_of(const struct hctx *ctx)
{
	struct wf_actor a = { WF_ACTOR_USER, ctx->sess->user_id, ctx->sess->authority_id };
	return a;
}

int
case_def_shape(const struct wf_def *def)
{
	const struct wf_caseform *cf = def->caseform;
	int s = 0;

	if (cf != NULL && cf->form_line > 0)
		s |= CASE_FORM;
	if (def->nroles > 0)
		s |= CASE_PARTICIPANTS;
	if (cf != NULL && cf->ntypes > 0)
		s |= CASE_COMMENTS;
	if (cf != NULL && cf->report_line > 0)
		s |= CASE_REPORT;
	return s;
}

size_t
case_def_comment_types(const struct wf_def *def, struct case_ctype *out, size_t max)
{
	const struct wf_caseform *cf = def->caseform;
	size_t n = 0;

	for (size_t i = 0; cf != NULL && i < cf->ntypes && n < max; i++, n++) {
		out[n].name = cf->types[i].name;
		out[n].label = cf->types[i].label;
		out[n].tab = cf->types[i].tab;
		out[n].answers = cf->types[i].answers;
	}
	return n;
}

int
case_def_summary_choices(struct hctx *ctx, const struct wf_def *def, const char *module,
    xmlNodePtr parent)
{
	const struct wf_caseform *cf = def->caseform;
	xmlNodePtr n;

	for (size_t i = 0; cf != NULL && i < cf->nfields; i++) {
		const struct wf_field *f = &cf->fields[i];
		if (!f->summary || f->in.type != WF_IN_CHOICE || f->shown_to.nallows > 0)
			continue;
		n = model_add(parent, "field", NULL);
		model_attr(n, "name", f->in.name);
		model_attr(n, "label", f->in.label);
		model_attr(n, "definition", def->name);
		if (option_add_all(ctx->db, ctx->a, &f->in, module, n) == -1)
			return -1;
	}
	return 0;
}

const char *
case_def_field_label(const struct wf_def *def, const char *name)
{
	const struct wf_caseform *cf = def->caseform;

	for (size_t i = 0; cf != NULL && name != NULL && i < cf->nfields; i++)
		if (strcmp(cf->fields[i].in.name, name) == 0)
			return cf->fields[i].in.label;
	return NULL;
}

int
case_hidden_fields(struct hctx *ctx, const struct wf_def *def, long long iid, const char *module,
    const char **out, size_t max)
{
	const struct wf_caseform *cf = def->caseform;
	struct wf_actor me = actor_of(ctx);
	int *visible, n = 0;

	if (cf == NULL || cf->nfields == 0)
		return 0;
	if ((visible = arena_calloc(ctx->a, cf->nfields, sizeof(*visible))) == NULL ||
	    caseform_visible_fields(ctx->db, ctx->a, &me, def, iid, module, visible) == -1)
		return -1;
	for (size_t i = 0; i < cf->nfields && (size_t)n < max; i++)
		if (!visible[i])
			out[n++] = cf->fields[i].in.name;
	return n;
}

void
case_def_roles_model(const struct wf_def *def, xmlNodePtr parent)
{
	xmlNodePtr roles, r, s;

	if (def->nroles == 0)
		return;
	roles = model_add(parent, "roles", NULL);
	for (size_t i = 0; i < def->nroles; i++) {
		r = model_add(roles, "role", NULL);
		model_attr(r, "name", def->roles[i].name);
		model_attr(r, "label", def->roles[i].label);
		for (size_t k = 0; k < def->roles[i].nstates; k++) {
			s = model_add(r, "state", NULL);
			model_attr(s, "name", def->roles[i].states[k].name);
			model_attr(s, "label", def->roles[i].states[k].label);
		}
	}
}

int
case_form_model(struct hctx *ctx, const struct wf_def *def, long long iid, const char *module,
    int version, xmlNodePtr parent)
{
	struct wf_actor me = actor_of(ctx);

	return caseform_model(ctx->db, ctx->a, &me, def, iid, module, version, parent);
}

int
case_report_open(struct hctx *ctx, const struct wf_def *def, long long iid)
{
	return caseform_report_open(ctx->db, ctx->a, def, iid);
}
