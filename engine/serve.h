/*
 * serve.h — the FastCGI server: N request threads sharing one listening
 * socket (accept serialised, as fcgi2's threaded example does), one
 * PostgreSQL connection per thread, and optionally the worker in a thread.
 * SIGTERM/SIGINT: stop accepting, finish the requests in flight, exit 0.
 */
#ifndef IMIFLOW_SERVE_H
#define IMIFLOW_SERVE_H

int serve_main(int argc, char **argv);

#endif
