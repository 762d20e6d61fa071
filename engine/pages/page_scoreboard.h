/*
 * page_scoreboard.h — the information request scoreboard of a module, per
 * authority and per country (issue "Information requests" §4): sent and
 * received, % accepted within 7 days, average days to answer, % answered by
 * the agreed date, % negative ratings, coloured with the EU Single Market
 * Scoreboard's thresholds.  Figures come from the history (sql/009).
 */
#ifndef IMIFLOW_PAGE_SCOREBOARD_H
#define IMIFLOW_PAGE_SCOREBOARD_H

struct hctx;

int page_scoreboard(struct hctx *ctx);   /* GET /scoreboard[?module=M&by=authority|country] */

/* "green", "yellow" or "red" for a figure (NULL: no figure, no colour). */
const char *scoreboard_colour(const char *measure, const char *value);

#endif
