/*
 * deploy.h — `imiflow deploy FILE…`: definitions checked like `lint`, then
 * stored in wf_definitions in one transaction, all or nothing.  A file whose
 * content equals its name's newest version changes nothing; otherwise it
 * becomes version newest + 1.  Running instances keep the version they
 * started with; new instances take the newest.
 */
#ifndef IMIFLOW_DEPLOY_H
#define IMIFLOW_DEPLOY_H

int deploy_main(int argc, char **argv);

#endif
