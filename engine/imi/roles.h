/*
 * roles.h — the role invariants of an authority's users (seed 000 §3.2;
 * role_violations() in sql/006_users.sql, sql/018_role_invariants.sql): an
 * Administrator; per module an Approver for a coordinator, a Handler in a
 * request module, an Allocator with allocation on.  Every change that can
 * break one — a user's roles, a user deleted, an access's settings or role —
 * locks the authority, makes the change, gives the roles the seeds give
 * automatically, and checks before its COMMIT; a broken rule rolls it all
 * back and the page names the rule (<violations>, xslt/pages/user.xsl).
 */
#ifndef IMIFLOW_ROLES_H
#define IMIFLOW_ROLES_H

#include <libxml/tree.h>

struct arena;
struct db;

/*
 * Takes the authority's row lock for the open transaction, so two changes
 * that each keep the invariants cannot together break one (two
 * administrators deleting each other).  0 or -1.
 */
int roles_lock(struct db *db, struct arena *a, long long authority_id);

/*
 * Every Administrator of the authority gets role in module, when the
 * authority may hold it there (module_roles()).  0 or -1.
 */
int roles_give_administrators(struct db *db, struct arena *a, long long authority_id,
    const char *module, const char *role);

/*
 * The invariants the authority breaks now, in the open transaction: how
 * many, or -1.  When any, *out is <violations> with a <violation rule
 * module/> each, not yet in any page (xmlAddChild it where it is shown).
 */
int roles_check(struct db *db, struct arena *a, long long authority_id, xmlNodePtr *out);

#endif
