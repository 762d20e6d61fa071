/* password_life.c — see password_life.h. */
#include "password_life.h"

#include "arena.h"
#include "config.h"
#include "db.h"
#include "engine.h"
#include "log.h"

static const struct db_query q_link = { "password_life_link",
	"UPDATE users SET password_instance_id = $2 WHERE id = $1", 2 };
static const struct db_query q_instance = { "password_life_instance",
	"SELECT password_instance_id FROM users WHERE id = $1", 1 };

int
password_life_start(struct db *db, struct arena *a, const struct config *cfg,
    const struct wf_actor *by, long long user_id, long long authority_id)
{
	struct wf_actor system = { WF_ACTOR_SYSTEM, 0, 0 };
	const char *params[2];
	long long iid;

	if (by == NULL || by->user_id == 0)
		by = &system;
	if ((iid = wf_start_tx(db, a, cfg, by, PASSWORD_WORKFLOW, authority_id, "")) == -1)
		return -1;
	params[0] = arena_printf(a, "%lld", user_id);
	params[1] = arena_printf(a, "%lld", iid);
	return db_exec(db, a, &q_link, params) == NULL ? -1 : 0;
}

int
password_life_fire(struct db *db, struct arena *a, const struct config *cfg,
    const struct wf_actor *actor, long long user_id, const char *event)
{
	const char *params[1] = { arena_printf(a, "%lld", user_id) };
	struct wf_outcome out;
	PGresult *r;

	if ((r = db_exec(db, a, &q_instance, params)) == NULL || PQntuples(r) != 1)
		return -1;
	if (db_value(r, 0, 0) == NULL) {
		log_warn("user %lld has no password instance: %s not recorded", user_id, event);
		return 1;
	}
	wf_fire_tx(db, a, cfg, actor, db_int(r, 0, 0), 0, event, NULL, &out);
	switch (out.result) {
	case WF_OK:
		return 0;
	case WF_ERROR:
	case WF_NOT_FOUND:
		return -1;
	default:
		log_info("user %lld: password %s refused: %s", user_id, event,
		    out.detail ? out.detail : "");
		return 1;
	}
}
