/*
 * bootstrap.h — `imiflow bootstrap`: the first authority (the helpdesk, also
 * the NIMIC of its country) and its first user, an Administrator.  The
 * temporary password goes by mail; the username is printed here and never
 * mailed (IMI guide: usernames are passed on outside mail).
 */
#ifndef IMIFLOW_BOOTSTRAP_H
#define IMIFLOW_BOOTSTRAP_H

int bootstrap_main(int argc, char **argv);

#endif
