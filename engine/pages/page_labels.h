/*
 * page_labels.h — the words for a history row (issue 16: internal codes never
 * show): an event's and a state's label from the definition the instance runs,
 * and a transition's recorded inputs with their captions and option labels.
 * The model keeps the codes too (event, from, to, name), for the tests and the API.
 */
#ifndef IMIFLOW_PAGE_LABELS_H
#define IMIFLOW_PAGE_LABELS_H

#include <libxml/tree.h>

struct wf_def;

/* The label of the first transition named event in any state; NULL when none. */
const char *page_event_label(const struct wf_def *def, const char *event);
/* The label of a state; NULL when the definition has no such state. */
const char *page_state_label(const struct wf_def *def, const char *state);
/* event-label, from-label, to-label on a history row n that has event, from and to. */
void page_label_row(xmlNodePtr n, const struct wf_def *def, const char *event, const char *from,
    const char *to);
/*
 * packed: "name US value RS name US value…" (US 0x1f, RS 0x1e; forms refuse
 * control characters, so neither occurs in a value).  Adds one
 * <input name label [value-label]>value</input> per pair under n.
 */
void page_label_inputs(xmlNodePtr n, const struct wf_def *def, const char *event,
    const char *packed);
/* label (and value-label for a choice) on a data field n, from the first input of that name. */
void page_label_field(xmlNodePtr n, const struct wf_def *def, const char *name, const char *value);

#endif
