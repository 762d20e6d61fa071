/* registry.c — see registry.h. */
#include "registry.h"

#include <string.h>

#include "buf.h"
#include "log.h"

/*
 * Flat copies of every registered table, each with room for its terminator:
 * the engine indexes parties and conditions by position, and lint lists them.
 * Sizes are generous for one domain and a few generic names; registry_add
 * says so when they are not.
 */
#define MAX_DOMAINS 8
#define MAX_ROLES 32
#define MAX_PARTIES 128
#define MAX_CONDITIONS 128
#define MAX_ACTIONS 128
#define MAX_MAIL_MODELS 32
#define MAX_DATA_KINDS 8
#define MAX_SELECTORS 32
#define MAX_SEEN_BY 16
#define MAX_OPTION_SOURCES 16

static const struct registry_domain *domains[MAX_DOMAINS];
static size_t ndomains;
static const char *roles[MAX_ROLES + 1];
static struct registry_party parties[MAX_PARTIES + 1];
static struct registry_condition conditions[MAX_CONDITIONS + 1];
static struct registry_action actions[MAX_ACTIONS + 1];
static struct registry_mail_model mail_models[MAX_MAIL_MODELS + 1];
static struct registry_data_kind data_kinds[MAX_DATA_KINDS + 1];
static struct registry_selector selectors[MAX_SELECTORS + 1];
static struct registry_seen_by seen_by[MAX_SEEN_BY + 1];
static struct registry_option_source option_sources[MAX_OPTION_SOURCES + 1];
static const char *seen_by_default;
static size_t nroles, nparties, nconditions, nactions, nmail_models, ndata_kinds, nselectors,
    nseen_by, noption_sources;

/* The number of entries before the terminator, and whether any name is registered already. */
#define COUNT_NEW(tbl, field, lookup, what, n, taken) do {                                  \
	(n) = 0;                                                                            \
	for (; (tbl) != NULL && (tbl)[(n)].field != NULL; (n)++)                            \
		if (lookup((tbl)[(n)].field)) {                                             \
			log_error("registry: %s: the %s \"%s\" is registered already",      \
			    d->name, what, (tbl)[(n)].field);                               \
			(taken) = 1;                                                        \
		}                                                                           \
} while (0)

static int role_taken(const char *name) { return registry_role_exists(name); }
static int party_taken(const char *name) { return registry_party(name) != NULL; }
static int condition_taken(const char *name) { return registry_condition(name) != NULL; }
static int action_taken(const char *name) { return registry_action(name) != NULL; }
static int mail_taken(const char *name) { return registry_mail_model(name) != NULL; }
static int selector_taken(const char *name) { return registry_selector(name) != NULL; }
static int seen_by_taken(const char *name) { return registry_seen_by(name) != NULL; }
static int option_source_taken(const char *name) { return registry_option_source(name) != NULL; }

static int
kind_taken(const char *name)
{
	for (size_t i = 0; i < ndata_kinds; i++)
		if (strcmp(data_kinds[i].name, name) == 0)
			return 1;
	return 0;
}

int
registry_add(const struct registry_domain *d)
{
	size_t nr = 0, np, nc, na, nm, nk, ns, nv, no;
	int taken = 0;

	for (size_t i = 0; i < ndomains; i++)
		if (domains[i] == d)
			return 0;
	for (; d->roles != NULL && d->roles[nr] != NULL; nr++)
		if (role_taken(d->roles[nr])) {
			log_error("registry: %s: the role \"%s\" is registered already", d->name,
			    d->roles[nr]);
			taken = 1;
		}
	COUNT_NEW(d->parties, name, party_taken, "party", np, taken);
	COUNT_NEW(d->conditions, name, condition_taken, "condition", nc, taken);
	COUNT_NEW(d->actions, name, action_taken, "action", na, taken);
	COUNT_NEW(d->mail_models, template_name, mail_taken, "mail model", nm, taken);
	COUNT_NEW(d->data_kinds, name, kind_taken, "data kind", nk, taken);
	COUNT_NEW(d->selectors, name, selector_taken, "selector", ns, taken);
	COUNT_NEW(d->seen_by, name, seen_by_taken, "rule of who sees an instance", nv, taken);
	COUNT_NEW(d->option_sources, name, option_source_taken, "option source", no, taken);
	if (d->seen_by_default != NULL && seen_by_default != NULL) {
		log_error("registry: %s: a rule of who may see an instance is registered already",
		    d->name);
		taken = 1;
	}
	if (taken)
		return -1;
	if (ndomains == MAX_DOMAINS || nroles + nr > MAX_ROLES || nparties + np > MAX_PARTIES ||
	    nconditions + nc > MAX_CONDITIONS || nactions + na > MAX_ACTIONS ||
	    nmail_models + nm > MAX_MAIL_MODELS || ndata_kinds + nk > MAX_DATA_KINDS ||
	    nselectors + ns > MAX_SELECTORS || nseen_by + nv > MAX_SEEN_BY ||
	    noption_sources + no > MAX_OPTION_SOURCES) {
		log_error("registry: %s: the registry is full (engine/wf/registry.c MAX_*)", d->name);
		return -1;
	}
	for (size_t i = 0; i < nr; i++)
		roles[nroles++] = d->roles[i];
	for (size_t i = 0; i < np; i++)
		parties[nparties++] = d->parties[i];
	for (size_t i = 0; i < nc; i++)
		conditions[nconditions++] = d->conditions[i];
	for (size_t i = 0; i < na; i++)
		actions[nactions++] = d->actions[i];
	for (size_t i = 0; i < nm; i++)
		mail_models[nmail_models++] = d->mail_models[i];
	for (size_t i = 0; i < nk; i++)
		data_kinds[ndata_kinds++] = d->data_kinds[i];
	for (size_t i = 0; i < ns; i++)
		selectors[nselectors++] = d->selectors[i];
	for (size_t i = 0; i < nv; i++)
		seen_by[nseen_by++] = d->seen_by[i];
	for (size_t i = 0; i < no; i++)
		option_sources[noption_sources++] = d->option_sources[i];
	if (d->seen_by_default != NULL)
		seen_by_default = d->seen_by_default;
	domains[ndomains++] = d;
	return 0;
}

int
registry_role_exists(const char *role)
{
	for (size_t i = 0; i < nroles; i++)
		if (strcmp(roles[i], role) == 0)
			return 1;
	return 0;
}

const struct registry_party *
registry_party(const char *name)
{
	for (size_t i = 0; i < nparties; i++)
		if (strcmp(parties[i].name, name) == 0)
			return &parties[i];
	return NULL;
}

const struct registry_condition *
registry_condition(const char *name)
{
	for (size_t i = 0; i < nconditions; i++)
		if (strcmp(conditions[i].name, name) == 0)
			return &conditions[i];
	return NULL;
}

const struct registry_action *
registry_action(const char *name)
{
	for (size_t i = 0; i < nactions; i++)
		if (strcmp(actions[i].name, name) == 0)
			return &actions[i];
	return NULL;
}

registry_mail_fn
registry_mail_model(const char *template_name)
{
	for (size_t i = 0; i < nmail_models; i++)
		if (strcmp(mail_models[i].template_name, template_name) == 0)
			return mail_models[i].fn;
	return NULL;
}

const struct registry_data_kind *
registry_data_kind_of(const char *content, size_t len)
{
	for (size_t i = 0; i < ndata_kinds; i++)
		if (data_kinds[i].is(content, len))
			return &data_kinds[i];
	return NULL;
}

const struct registry_selector *
registry_selector(const char *name)
{
	for (size_t i = 0; i < nselectors; i++)
		if (strcmp(selectors[i].name, name) == 0)
			return &selectors[i];
	return NULL;
}

const struct registry_seen_by *
registry_seen_by(const char *name)
{
	for (size_t i = 0; i < nseen_by; i++)
		if (strcmp(seen_by[i].name, name) == 0)
			return &seen_by[i];
	return NULL;
}

const struct registry_option_source *
registry_option_source(const char *name)
{
	for (size_t i = 0; name != NULL && i < noption_sources; i++)
		if (strcmp(option_sources[i].name, name) == 0)
			return &option_sources[i];
	return NULL;
}

const char *
registry_seen_by_default(void)
{
	/* $2 named all the same: a prepared statement must know every parameter's type. */
	return seen_by_default != NULL ? seen_by_default : "($2::bigint IS NULL OR true)";
}

const char *const *registry_roles(void) { return roles; }
const struct registry_party *registry_parties(void) { return parties; }
const struct registry_condition *registry_conditions(void) { return conditions; }
const struct registry_action *registry_actions(void) { return actions; }
const struct registry_data_kind *registry_data_kinds(void) { return data_kinds; }
const struct registry_selector *registry_selectors(void) { return selectors; }
const struct registry_seen_by *registry_seen_by_rules(void) { return seen_by; }
const struct registry_option_source *registry_option_sources(void) { return option_sources; }

/*
 * Who may see an instance, as one expression over i and $2: the registered
 * rule its seen_by names, else the default (an unknown name, of a rule no
 * longer registered, falls to the default too).
 */
void
registry_visible_case(struct buf *b)
{
	const struct registry_seen_by *v = registry_seen_by_rules();

	/* SQL's CASE needs one WHEN at least. */
	if (v[0].name == NULL) {
		buf_printf(b, "(%s)", registry_seen_by_default());
		return;
	}
	buf_puts(b, "(CASE i.seen_by");
	for (size_t i = 0; v[i].name != NULL; i++)
		buf_printf(b, " WHEN '%s' THEN %s", v[i].name, v[i].sql);
	buf_printf(b, " ELSE %s END)", registry_seen_by_default());
}
