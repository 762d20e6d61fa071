/*
 * visibility.h — who may see an instance of IMI's workflows, as SQL: a
 * boolean expression over the instance's row (alias i, of wf_instances) and
 * the viewing user's id ($2), which a page or the engine's firing path puts
 * into its own statement (no round trip of its own).  A definition with a
 * rule of its own names a SQL function (instance, user) that returns a row
 * when that user may see it (inlined by PostgreSQL: sql/015_need_to_know.sql);
 * every other definition follows IMI_VISIBLE_DEFAULT.  Keyed by the
 * definition's name, not its version, so a changed rule holds for running
 * instances too.  imi_register() hands IMI_VISIBLE to the engine
 * (registry_domain.visible); the pages use the same text.
 */
#ifndef IMIFLOW_VISIBILITY_H
#define IMIFLOW_VISIBILITY_H

/* Whether the user $2 may see the request whose instance is the SQL expression instance. */
#define IMI_REQUEST_VISIBLE(instance) "EXISTS (SELECT FROM request_visible_to(" instance ", $2))"

#define IMI_VISIBLE_RULES \
	" WHEN 'information-request' THEN " IMI_REQUEST_VISIBLE("i.id") \
	" WHEN 'authority' THEN EXISTS (SELECT FROM managed_instance_visible_to(i.id, $2))" \
	" WHEN 'module-access' THEN EXISTS (SELECT FROM managed_instance_visible_to(i.id, $2))" \
	" WHEN 'invitation' THEN EXISTS (SELECT FROM managed_instance_visible_to(i.id, $2))"
/* The users of the instance's authority and of the helpdesk. */
#define IMI_VISIBLE_DEFAULT "EXISTS (SELECT FROM instance_visible_to(i.id, $2))"
#define IMI_VISIBLE \
	"(CASE i.definition" IMI_VISIBLE_RULES " ELSE " IMI_VISIBLE_DEFAULT " END)"

#endif
