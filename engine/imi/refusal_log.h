/*
 * refusal_log.h — refused authorisation in the security log (ASVS 5.0 16.3.2): a 403 (the
 * page or action is not the signed-in user's) is a "forbidden" row; a 404 for an object that
 * exists but is not theirs to see (need to know: the pages answer as if it did not exist) is a
 * "need-to-know" row.  A 404 for an id that names nothing is a mistyped link and is not logged.
 * At most one row per user per kind per minute, so probing ids cannot flood the log; the engine
 * log keeps one line per request as before.
 */
#ifndef IMIFLOW_REFUSAL_LOG_H
#define IMIFLOW_REFUSAL_LOG_H

struct arena;
struct db;
struct session;

/*
 * Writes the row for status (403 or 404; others are ignored) of sess's request for path
 * (already masked for the log: no token in it), outside any transaction (the handler's was
 * rolled back).  0 written or not needed, -1 error (the page is answered all the same).
 */
int refusal_log(struct db *db, struct arena *a, const struct session *sess, int status,
    const char *method, const char *path, const char *address);

/*
 * The collection ("requests", "sent-emails") and the id a path names, as the 404 check reads
 * them: the first segment (the second after /admin/) and the first number after it.  1 found,
 * 0 not.  out must hold 32 bytes.
 */
int refusal_object(const char *path, char out[32], long long *id);

#endif
