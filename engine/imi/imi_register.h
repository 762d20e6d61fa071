/*
 * imi_register.h — IMI as the workflow engine's first application: the roles
 * (Administrator, Viewer, Handler, Approver, Allocator), the parties of
 * authorities, accesses, passwords and requests, their conditions and
 * actions, the request mail model, and the data files deployed beside the
 * definitions (the module catalogue, question sets).  A new party, condition
 * or action of the IMI domain goes in this file's tables.
 */
#ifndef IMIFLOW_IMI_REGISTER_H
#define IMIFLOW_IMI_REGISTER_H

/* Registers the engine's generic names, then IMI's (registry.h); 0 or -1 (logged). */
int imi_register(void);

#endif
