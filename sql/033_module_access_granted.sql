-- 033_module_access_granted.sql — the access check of 005 in a form PostgreSQL can inline.
--
-- module_access_active() is a boolean function whose body is an EXISTS: PostgreSQL never
-- inlines such a function, so a statement that asks it per row calls it per row, each call
-- planning its body again (0.17 ms a module in the session's menu facts, on every page:
-- bench/README.md).  A set-returning SQL function is inlined into the statement that selects
-- from it, as the visibility rules are (sql/015); module_access_active() now asks it, so the
-- rule is written once.
CREATE FUNCTION module_access_granted(p_authority bigint, p_module text) RETURNS SETOF bigint
	LANGUAGE sql STABLE ROWS 1 AS $$
	SELECT m.id FROM module_accesses m JOIN wf_instances i ON i.id = m.instance_id
	  JOIN authorities a ON a.id = m.authority_id
	  JOIN wf_instances ai ON ai.id = a.instance_id
	 WHERE m.authority_id = p_authority AND m.module = p_module
	   AND i.state = 'granted' AND ai.state = 'active'
$$;

CREATE OR REPLACE FUNCTION module_access_active(p_authority bigint, p_module text) RETURNS boolean
	LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT FROM module_access_granted(p_authority, p_module))
$$;
