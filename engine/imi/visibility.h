/*
 * visibility.h — who may see an instance of IMI's workflows, as SQL: a
 * boolean expression over the instance's row (alias i, of wf_instances) and
 * the viewing user's id ($2), which a page or the engine's firing path puts
 * into its own statement (no round trip of its own).  Rules are named, and a
 * definition picks one with seen-by="NAME" (workflows/README.md); its
 * instances keep it in wf_instances.seen_by for life, as their version.  A
 * rule names a SQL function (instance, user) that returns a row when that
 * user may see it (inlined by PostgreSQL: sql/015_need_to_know.sql,
 * sql/021_participants.sql); an instance without one follows
 * IMI_VISIBLE_DEFAULT.  imi_register() hands the rules to the engine
 * (registry_domain.seen_by); the pages use the same text.
 */
#ifndef IMIFLOW_VISIBILITY_H
#define IMIFLOW_VISIBILITY_H

/* Whether the user $2 may see the request whose instance is the SQL expression instance. */
#define IMI_REQUEST_VISIBLE(instance) "EXISTS (SELECT FROM request_visible_to(" instance ", $2))"

/* An information request: the parties' users with a role in its module. */
#define IMI_SEEN_BY_REQUEST IMI_REQUEST_VISIBLE("i.id")
/* Authorities, module accesses, invitations: their own users and those who manage them. */
#define IMI_SEEN_BY_MANAGED "EXISTS (SELECT FROM managed_instance_visible_to(i.id, $2))"
/* A one-to-many exchange (notification, alert): sender, participants, linked coordinators. */
#define IMI_SEEN_BY_EXCHANGE "EXISTS (SELECT FROM exchange_visible_to(i.id, $2))"

/* A repository entry: every module member once active; drafts its authority's and managers'. */
#define IMI_SEEN_BY_PUBLISHED "EXISTS (SELECT FROM published_visible_to(i.id, $2))"
#define IMI_PUBLISHED_RULE "published"
/*
 * The instances of that rule anyone may read, signed in or not (the public
 * export, engine/pages/page_case_export.c): the active ones, which every
 * member of the module sees; their fields as the export filters them.
 */
#define IMI_PUBLISHED_PUBLIC "i.seen_by = '" IMI_PUBLISHED_RULE "' AND i.state = 'active'"

#define IMI_VISIBLE_RULES \
	" WHEN 'request' THEN " IMI_SEEN_BY_REQUEST \
	" WHEN 'managed' THEN " IMI_SEEN_BY_MANAGED \
	" WHEN 'exchange' THEN " IMI_SEEN_BY_EXCHANGE \
	" WHEN 'published' THEN " IMI_SEEN_BY_PUBLISHED
/* The users of the instance's authority and of the helpdesk. */
#define IMI_VISIBLE_DEFAULT "EXISTS (SELECT FROM instance_visible_to(i.id, $2))"
#define IMI_VISIBLE \
	"(CASE i.seen_by" IMI_VISIBLE_RULES " ELSE " IMI_VISIBLE_DEFAULT " END)"

#endif
