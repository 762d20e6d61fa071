/*
 * builtins.h — the names every workflow may use whatever its domain: the
 * parties any, own-authority, creator and system, the conditions always,
 * never and has-comment, the action log.  They read only the engine's own
 * tables (wf_instances, and the users and authorities its roles refer to).
 */
#ifndef IMIFLOW_BUILTINS_H
#define IMIFLOW_BUILTINS_H

/* Registers them (registry_add); 0 or -1.  Call before the domain's registration. */
int wf_builtins_register(void);

#endif
