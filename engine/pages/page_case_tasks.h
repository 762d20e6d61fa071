/*
 * page_case_tasks.h — the cases in My tasks: those where the signed-in user
 * may fire a transition marked task="true" now.
 */
#ifndef IMIFLOW_PAGE_CASE_TASKS_H
#define IMIFLOW_PAGE_CASE_TASKS_H

#include <libxml/tree.h>

struct hctx;

/* Adds <case-tasks><case-task id definition label state state-label event event-label/>… 0 or -1. */
int page_case_tasks(struct hctx *ctx, xmlNodePtr page);

#endif
