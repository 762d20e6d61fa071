/*
 * participant_rows.h — the rows of one-to-many exchanges (wf_participants,
 * sql/021_participants.sql): one per recipient authority and role in the
 * case, with its own small state, nothing on the instance row counting them.
 * What the firing path (engine.c) does with them: <add-participants> as one
 * INSERT ... SELECT of a registered selector's authorities, <participant-state>,
 * and the inputs of several values (countries, authorities).  Plain arguments,
 * so the engine calls this and not the other way round.
 */
#ifndef IMIFLOW_PARTICIPANT_ROWS_H
#define IMIFLOW_PARTICIPANT_ROWS_H

#include <stddef.h>

struct arena;
struct db;
struct http_field;

/*
 * The rows of a participant role as (authority_id, user_id), for the engine's
 * party statements: $1 the instance, $6 the role, $7 a state or NULL (any).
 */
#define WF_PARTICIPANT_ROWS "SELECT p.authority_id, NULL::bigint FROM wf_participants p" \
	" WHERE p.instance_id = $1 AND p.role = $6 AND ($7::text IS NULL OR p.state = $7)"

/* The values of every field named name, empty ones left out; their number in *n (NULL: none). */
const char **participant_values(struct arena *a, const struct http_field *fields, size_t nfields,
    const char *name, size_t *n);

/*
 * Queues the INSERT of selector's authorities into role (in state) of
 * instance iid, by authority (0: the system) at history seq; values is a
 * text[] literal or NULL.  Who is in the role already keeps their row.  0, or
 * -1 when no such selector is registered or out of memory.
 */
int participant_rows_add(struct db *db, struct arena *a, long long iid, long long authority,
    long long seq, const char *module, const char *role, const char *state, const char *selector,
    const char *values);

/*
 * Queues the DELETE of role's rows of instance iid whose authority is one of
 * values (a text[] literal of authority ids; NULL: nobody).  The history row
 * of the transition keeps the values it was given.  0 or -1.
 */
int participant_rows_remove(struct db *db, struct arena *a, long long iid, const char *role,
    const char *values);

/* A field of the instance's data as a text[] literal (*values NULL when absent); 0 or -1. */
int participant_rows_field(struct db *db, struct arena *a, long long iid, const char *field,
    const char **values);

/* Queues: authority's row of role moves to state at history seq.  0 or -1. */
int participant_rows_state(struct db *db, struct arena *a, long long iid, long long authority,
    const char *role, const char *state, long long seq);

/*
 * Checks n values of a countries input (countries 1) or an authorities input
 * (0) in one query: 0 with *json the values, each once, as a JSON array and
 * *rule NULL, or *rule the rule broken ("countries", "authorities",
 * "too-long"); -1 on error.
 */
int participant_rows_input(struct db *db, struct arena *a, int countries, const char **v, size_t n,
    const char **json, const char **rule);

#endif
