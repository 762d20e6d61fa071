/* page_labels.c — see page_labels.h. */
#include "page_labels.h"

#include <string.h>

#include "caseform.h"
#include "model.h"
#include "workflow.h"

static const struct wf_transition *
transition_of(const struct wf_def *def, const char *event)
{
	if (def == NULL || event == NULL)
		return NULL;
	for (size_t s = 0; s < def->nstates; s++)
		for (size_t t = 0; t < def->states[s].ntransitions; t++)
			if (strcmp(def->states[s].transitions[t].event, event) == 0)
				return &def->states[s].transitions[t];
	return NULL;
}

const char *
page_event_label(const struct wf_def *def, const char *event)
{
	const struct wf_transition *t = transition_of(def, event);

	return t != NULL ? t->label : NULL;
}

const char *
page_state_label(const struct wf_def *def, const char *state)
{
	const struct wf_state *st;

	if (def == NULL || state == NULL || *state == '\0')
		return NULL;
	st = wf_state(def, state);
	return st != NULL ? st->label : NULL;
}

void
page_label_row(xmlNodePtr n, const struct wf_def *def, const char *event, const char *from,
    const char *to)
{
	const char *l;

	if ((l = page_event_label(def, event)) != NULL)
		model_attr(n, "event-label", l);
	if ((l = page_state_label(def, from)) != NULL)
		model_attr(n, "from-label", l);
	if ((l = page_state_label(def, to)) != NULL)
		model_attr(n, "to-label", l);
}

static void
add_input(xmlNodePtr n, const struct wf_transition *t, const char *name, size_t nlen,
    const char *value, size_t vlen)
{
	char key[128], val[4096];
	xmlNodePtr in;

	if (nlen >= sizeof(key) || vlen >= sizeof(val))
		return;
	memcpy(key, name, nlen);
	key[nlen] = '\0';
	memcpy(val, value, vlen);
	val[vlen] = '\0';
	in = model_add(n, "input", val);
	model_attr(in, "name", key);
	for (size_t i = 0; t != NULL && i < t->ninputs; i++) {
		if (strcmp(t->inputs[i].name, key) != 0)
			continue;
		model_attr(in, "label", t->inputs[i].label);
		for (size_t o = 0; o < t->inputs[i].noptions; o++)
			if (strcmp(t->inputs[i].options[o].value, val) == 0)
				model_attr(in, "value-label", t->inputs[i].options[o].label);
		break;
	}
}

void
page_label_inputs(xmlNodePtr n, const struct wf_def *def, const char *event, const char *packed)
{
	const struct wf_transition *t = transition_of(def, event);
	const char *p = packed, *end, *us;

	while (p != NULL && *p != '\0') {
		end = strchr(p, '\x1e');
		if (end == NULL)
			end = p + strlen(p);
		us = memchr(p, '\x1f', (size_t)(end - p));
		if (us != NULL)
			add_input(n, t, p, (size_t)(us - p), us + 1, (size_t)(end - us - 1));
		p = *end != '\0' ? end + 1 : end;
	}
}

static void
label_input(xmlNodePtr n, const struct wf_input *in, const char *value)
{
	model_attr(n, "label", in->label);
	for (size_t o = 0; o < in->noptions && value != NULL; o++)
		if (strcmp(in->options[o].value, value) == 0)
			model_attr(n, "value-label", in->options[o].label);
}

void
page_label_field(xmlNodePtr n, const struct wf_def *def, const char *name, const char *value)
{
	/* A case form's field first (its data are the form's), then a transition's input. */
	for (size_t i = 0; def != NULL && def->caseform != NULL && i < def->caseform->nfields; i++)
		if (strcmp(def->caseform->fields[i].in.name, name) == 0) {
			label_input(n, &def->caseform->fields[i].in, value);
			return;
		}
	for (size_t s = 0; def != NULL && s < def->nstates; s++)
		for (size_t t = 0; t < def->states[s].ntransitions; t++)
			for (size_t i = 0; i < def->states[s].transitions[t].ninputs; i++) {
				const struct wf_input *in = &def->states[s].transitions[t].inputs[i];

				if (strcmp(in->name, name) != 0)
					continue;
				label_input(n, in, value);
				return;
			}
}
