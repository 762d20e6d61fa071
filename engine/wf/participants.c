/* participants.c — see participants.h. */
#include "participants.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "arena.h"
#include "buf.h"
#include "db.h"
#include "engine.h"
#include "findings.h"
#include "http.h"
#include "pgarray.h"
#include "registry.h"
#include "workflow.h"

/* More values than any exchange has countries or a country authorities: refused, not truncated. */
#define VALUES_MAX 1000

/* ---- parse ---- */

static const char *
attr(struct arena *a, xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	char *s;

	if (v == NULL)
		return NULL;
	s = arena_strdup(a, (const char *)v);
	xmlFree(v);
	return s;
}

static int
is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name);
}

static size_t
count(xmlNodePtr parent, const char *name)
{
	size_t c = 0;

	for (xmlNodePtr n = parent->children; n != NULL; n = n->next)
		c += is(n, name);
	return c;
}

int
wf_participants_parse(struct arena *a, xmlNodePtr n, struct wf_def *def)
{
	size_t k = 0;

	if ((def->nroles = count(n, "role")) == 0)
		return 0;
	if ((def->roles = arena_calloc(a, def->nroles, sizeof(*def->roles))) == NULL)
		return -1;
	for (xmlNodePtr r = n->children; r != NULL; r = r->next) {
		struct wf_participant_role *role;
		size_t s = 0;
		if (!is(r, "role"))
			continue;
		role = &def->roles[k++];
		role->name = attr(a, r, "name");
		role->label = attr(a, r, "label");
		role->line = (int)xmlGetLineNo(r);
		/* The schema asks for one state at least. */
		if ((role->nstates = count(r, "state")) > 0 &&
		    (role->states = arena_calloc(a, role->nstates, sizeof(*role->states))) == NULL)
			return -1;
		for (xmlNodePtr st = r->children; st != NULL; st = st->next) {
			if (!is(st, "state"))
				continue;
			role->states[s].name = attr(a, st, "name");
			role->states[s].label = attr(a, st, "label");
			role->states[s].line = (int)xmlGetLineNo(st);
			s++;
		}
	}
	return 0;
}

int
wf_participants_is_action(xmlNodePtr n)
{
	return is(n, "add-participants") || is(n, "participant-state");
}

int
wf_participants_action(struct arena *a, xmlNodePtr n, struct wf_action *act)
{
	act->line = (int)xmlGetLineNo(n);
	act->participant_role = attr(a, n, "role");
	if (is(n, "add-participants")) {
		act->kind = WF_ACT_ADD_PARTICIPANTS;
		act->select = attr(a, n, "select");
		act->values_field = attr(a, n, "field");
		act->values_input = attr(a, n, "input");
	} else {
		act->kind = WF_ACT_PARTICIPANT_STATE;
		act->to_state = attr(a, n, "to");
	}
	return 0;
}

/* ---- link ---- */

const struct wf_participant_role *
wf_participant_role(const struct wf_def *def, const char *name)
{
	for (size_t i = 0; name != NULL && i < def->nroles; i++)
		if (strcmp(def->roles[i].name, name) == 0)
			return &def->roles[i];
	return NULL;
}

static const struct wf_participant_state *
role_state(const struct wf_participant_role *role, const char *name)
{
	for (size_t i = 0; name != NULL && i < role->nstates; i++)
		if (strcmp(role->states[i].name, name) == 0)
			return &role->states[i];
	return NULL;
}

/* A role that names a state it lacks: reported at line. */
static void
check_role_state(struct findings *r, const struct wf_def *def, const char *role, const char *state,
    int line)
{
	const struct wf_participant_role *pr = wf_participant_role(def, role);

	if (pr != NULL && state != NULL && role_state(pr, state) == NULL)
		findings_report(r, line, "participant role \"%s\" has no state \"%s\"", role, state);
}

static void
check_roles(struct findings *r, const struct wf_def *def)
{
	if (def->seen_by != NULL && registry_seen_by(def->seen_by) == NULL)
		findings_report(r, def->line, "seen-by names \"%s\", which no domain registers as a rule of "
		    "who sees an instance", def->seen_by);
	for (size_t i = 0; i < def->nroles; i++) {
		const struct wf_participant_role *pr = &def->roles[i];
		for (size_t k = 0; k < i; k++)
			if (strcmp(def->roles[k].name, pr->name) == 0)
				findings_report(r, pr->line, "participant role \"%s\" is declared twice "
				    "(also line %d)", pr->name, def->roles[k].line);
		/* As a party of its definition it would hide the registered one, or be hidden. */
		if (registry_party(pr->name) != NULL)
			findings_report(r, pr->line, "participant role \"%s\" has the name of a registered "
			    "party: choose another", pr->name);
	}
}

static void
check_action(struct findings *r, const struct wf_def *def, const struct wf_transition *tr,
    struct wf_action *ac)
{
	size_t k;

	if (ac->kind == WF_ACT_NOTIFY) {
		ac->participant = wf_participant_role(def, ac->party) != NULL;
		return;
	}
	if (ac->kind != WF_ACT_ADD_PARTICIPANTS && ac->kind != WF_ACT_PARTICIPANT_STATE)
		return;
	if (wf_participant_role(def, ac->participant_role) == NULL) {
		findings_report(r, ac->line, "unknown participant role \"%s\": declare it in "
		    "<participants>", ac->participant_role);
		return;
	}
	if (ac->kind == WF_ACT_PARTICIPANT_STATE) {
		check_role_state(r, def, ac->participant_role, ac->to_state, ac->line);
		return;
	}
	if (registry_selector(ac->select) == NULL)
		findings_report(r, ac->line, "unknown selector \"%s\"", ac->select);
	if (ac->values_input == NULL)
		return;
	for (k = 0; k < tr->ninputs; k++)
		if (strcmp(tr->inputs[k].name, ac->values_input) == 0)
			break;
	if (k == tr->ninputs)
		findings_report(r, ac->line, "unknown input \"%s\"", ac->values_input);
}

static void
check_transition(struct findings *r, const struct wf_def *def, const struct wf_state *st,
    struct wf_transition *tr)
{
	/* Firing on the instance as it is makes sense only where the state stays what it was. */
	if (tr->concurrent && strcmp(tr->to_name, st->name) != 0)
		findings_report(r, tr->line, "transition \"%s\" is concurrent=\"true\" but goes to \"%s\": "
		    "only a transition to its own state may be", tr->event, tr->to_name);
	for (size_t i = 0; i < tr->nallows; i++) {
		struct wf_allow *al = &tr->allows[i];
		al->participant = wf_participant_role(def, al->party) != NULL;
		if (al->in != NULL && !al->participant)
			findings_report(r, al->line, "in=\"%s\" needs a participant role as the party",
			    al->in);
		else if (al->in != NULL)
			check_role_state(r, def, al->party, al->in, al->line);
	}
	for (size_t i = 0; i < tr->nactions; i++)
		check_action(r, def, tr, &tr->actions[i]);
}

void
wf_participants_link(struct findings *r, struct wf_def *def)
{
	check_roles(r, def);
	for (size_t s = 0; s < def->nstates; s++)
		for (size_t t = 0; t < def->states[s].ntransitions; t++)
			check_transition(r, def, &def->states[s], &def->states[s].transitions[t]);
}

/* ---- firing ---- */

/* Per selector: the one INSERT ... SELECT that adds its authorities. */
struct add_query {
	struct db_query q;
	char name[64];
	char *sql;
};

static struct add_query *aq;
static size_t naq;
static pthread_once_t add_once = PTHREAD_ONCE_INIT;

/*
 * $1 instance, $2 acting authority, $3 values, $4 module (the selector's), $5
 * role, $6 its first state, $7 the history seq.  An authority already in the
 * role keeps its row as it is (repeating a broadcast adds nobody twice).
 */
#define ADD_SQL "INSERT INTO wf_participants (instance_id, authority_id, country, role, state," \
	" added_seq, added_by)" \
	" SELECT $1, a.id, a.country, $5, $6, $7, $2 FROM (SELECT DISTINCT s.id FROM (%s) s(id)) s" \
	" JOIN authorities a ON a.id = s.id" \
	" WHERE ($3::text[] IS NULL OR true) AND ($4::text IS NULL OR true)" \
	" ON CONFLICT DO NOTHING"

static void
build_add(void)
{
	const struct registry_selector *s = registry_selectors();
	struct buf b;

	while (s[naq].name != NULL)
		naq++;
	if (naq == 0 || (aq = calloc(naq, sizeof(*aq))) == NULL) {
		naq = 0;
		return;
	}
	for (size_t i = 0; i < naq; i++) {
		buf_init(&b);
		buf_printf(&b, ADD_SQL, s[i].sql);
		aq[i].sql = buf_ok(&b) ? b.data : NULL;
		snprintf(aq[i].name, sizeof(aq[i].name), "participants_add_%zu", i);
		aq[i].q = (struct db_query){ aq[i].name, aq[i].sql, 7 };
	}
}

static const struct db_query *
add_query(const char *selector)
{
	const struct registry_selector *s = registry_selector(selector);

	pthread_once(&add_once, build_add);
	if (s == NULL || (size_t)(s - registry_selectors()) >= naq ||
	    aq[s - registry_selectors()].sql == NULL)
		return NULL;
	return &aq[s - registry_selectors()].q;
}

/* A field of the instance's data as text[]: a JSON array's elements, or a string alone. */
static const struct db_query q_field_values = { "participants_field_values",
	"SELECT CASE jsonb_typeof(i.data->$2) WHEN 'array' THEN"
	"  ARRAY(SELECT jsonb_array_elements_text(i.data->$2))::text"
	"  WHEN 'string' THEN ARRAY[i.data->>$2]::text END FROM wf_instances i WHERE i.id = $1", 2 };
static const struct db_query q_state = { "participants_state",
	"UPDATE wf_participants SET state = $4, changed_seq = $5, changed_at = now()"
	" WHERE instance_id = $1 AND role = $3 AND authority_id = $2", 5 };

/* The values of every field named name, empty ones left out; their number in *n. */
static const char **
field_values(struct arena *a, const struct wf_inputs *in, const char *name, size_t *n)
{
	const char **v;
	size_t k = 0;

	*n = 0;
	if (in == NULL)
		return NULL;
	for (size_t i = 0; i < in->nfields; i++)
		k += strcmp(in->fields[i].name, name) == 0 && in->fields[i].value[0] != '\0';
	if (k == 0 || (v = arena_calloc(a, k, sizeof(*v))) == NULL)
		return NULL;
	for (size_t i = 0; i < in->nfields; i++)
		if (strcmp(in->fields[i].name, name) == 0 && in->fields[i].value[0] != '\0')
			v[(*n)++] = in->fields[i].value;
	return v;
}

static int
add_participants(struct wf_fire *f, const struct wf_action *ac)
{
	const struct wf_participant_role *pr = wf_participant_role(f->def, ac->participant_role);
	const struct db_query *q = add_query(ac->select);
	const char *params[7], **v;
	PGresult *r;
	size_t n;

	if (pr == NULL || pr->nstates == 0 || q == NULL)
		return -1;
	params[0] = arena_printf(f->a, "%lld", f->instance_id);
	params[1] = f->actor->kind == WF_ACTOR_SYSTEM ? NULL :
	    arena_printf(f->a, "%lld", f->actor->authority_id);
	params[2] = NULL;
	params[3] = f->module;
	params[4] = pr->name;
	params[5] = pr->states[0].name;
	params[6] = arena_printf(f->a, "%lld", f->rev);
	if (ac->values_input != NULL) {
		v = field_values(f->a, f->in, ac->values_input, &n);
		if (n > 0 && (params[2] = pg_text_array(f->a, v, n)) == NULL)
			return -1;
	} else if (ac->values_field != NULL) {
		/* The transition's sets are queued before this: the field as they leave it. */
		const char *fp[2] = { params[0], ac->values_field };
		if ((r = db_exec(f->db, f->a, &q_field_values, fp)) == NULL)
			return -1;
		params[2] = PQntuples(r) == 1 ? db_value(r, 0, 0) : NULL;
	}
	/* Needs no answer: it goes with the next statement or the COMMIT. */
	return db_queue(f->db, f->a, q, params, NULL);
}

static int
participant_state(struct wf_fire *f, const struct wf_action *ac)
{
	const char *params[5];

	/* The system holds no row. */
	if (f->actor->kind == WF_ACTOR_SYSTEM)
		return 0;
	params[0] = arena_printf(f->a, "%lld", f->instance_id);
	params[1] = arena_printf(f->a, "%lld", f->actor->authority_id);
	params[2] = ac->participant_role;
	params[3] = ac->to_state;
	params[4] = arena_printf(f->a, "%lld", f->rev);
	return db_queue(f->db, f->a, &q_state, params, NULL);
}

int
wf_participants_run(struct wf_fire *f, const struct wf_action *ac)
{
	return ac->kind == WF_ACT_ADD_PARTICIPANTS ? add_participants(f, ac) : participant_state(f, ac);
}

/* ---- inputs ---- */

static const struct db_query q_countries = { "participants_countries",
	"SELECT count(*) FROM unnest($1::text[]) c"
	" WHERE EXISTS (SELECT 1 FROM authorities a WHERE a.country = c AND a.deleted_at IS NULL)", 1 };
static const struct db_query q_authorities = { "participants_authorities",
	"SELECT count(*) FROM authorities WHERE id = ANY($1::bigint[])", 1 };

static int
well_formed(enum wf_input_type type, const char *v)
{
	size_t len = strlen(v);

	if (type == WF_IN_COUNTRIES)
		return len == 2 && v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'A' && v[1] <= 'Z';
	return len > 0 && len <= 18 && strspn(v, "0123456789") == len;
}

int
wf_participants_input(struct db *db, struct arena *a, const struct wf_input *d,
    const struct wf_inputs *in, const char **json, const char **rule)
{
	const char **v, *params[1];
	const char *what = d->type == WF_IN_COUNTRIES ? "countries" : "authorities";
	struct buf b;
	PGresult *r;
	size_t n, k = 0;
	int rc = -1;

	*json = NULL;
	*rule = NULL;
	if ((v = field_values(a, in, d->name, &n)) == NULL)
		return 0;
	if (n > VALUES_MAX) {
		*rule = "too-long";
		return 0;
	}
	/* Well-formed, each once (a form may repeat a box). */
	for (size_t i = 0; i < n; i++) {
		size_t j;
		if (!well_formed(d->type, v[i])) {
			*rule = what;
			return 0;
		}
		for (j = 0; j < k && strcmp(v[j], v[i]) != 0; j++)
			;
		if (j == k)
			v[k++] = v[i];
	}
	if ((params[0] = pg_text_array(a, v, k)) == NULL)
		return -1;
	if ((r = db_exec(db, a, d->type == WF_IN_COUNTRIES ? &q_countries : &q_authorities,
	    params)) == NULL)
		return -1;
	if (db_int(r, 0, 0) != (long long)k) {
		*rule = what;
		return 0;
	}
	buf_init(&b);
	buf_puts(&b, "[");
	for (size_t i = 0; i < k; i++)
		buf_printf(&b, "%s\"%s\"", i > 0 ? "," : "", v[i]);
	buf_puts(&b, "]");
	if (buf_ok(&b) && (*json = arena_strdup(a, b.data)) != NULL)
		rc = 0;
	buf_release(&b);
	return rc;
}

/* ---- parties ---- */

int
wf_party_holds(struct db *db, struct arena *a, const struct wf_actor *actor, long long iid,
    const char *module, const struct wf_def *def, const char *party)
{
	struct wf_allow al = { NULL, party, 0, NULL, 0 };
	struct wf_transition t;
	const char *missing;

	memset(&t, 0, sizeof(t));
	t.event = "party";
	t.allows = &al;
	t.nallows = 1;
	al.participant = wf_participant_role(def, party) != NULL;
	if (!al.participant && registry_party(party) == NULL)
		return 0;
	return wf_guard(db, a, actor, iid, module, &t, &missing);
}
