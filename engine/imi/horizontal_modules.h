/*
 * horizontal_modules.h — the registry's action grant-horizontal-modules: an
 * authority that becomes active gets an access to every module the catalogue
 * marks horizontal="true" (seed 002: the Registers module), with the role
 * authority, as an Access Manager's grant would give it.  Runs inside the
 * firing transaction of the authority's own lifecycle instance (register,
 * validate in workflows/authority.xml) and refuses any other instance.
 */
#ifndef IMIFLOW_HORIZONTAL_MODULES_H
#define IMIFLOW_HORIZONTAL_MODULES_H

struct wf_fire;

/*
 * For each horizontal module the authority has no access to (a suspended one
 * stays suspended): a module-access instance started and fired
 * "grant-automatically" by the system, so its history, its Administrators'
 * roles (grant-module-roles) and its later suspension are those of any access.
 * 0, or -1 (refused through wf_forbid, or an error).
 */
int act_grant_horizontal_modules(struct wf_fire *f);

#endif
