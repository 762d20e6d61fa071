-- 018_role_invariants.sql — the role invariants of seed 000 §3.2 hold whatever changes:
-- roles, settings, the role of an access, deletion of users (issue 12 point 8).
--
-- role_violations() counted granted accesses only, so an access changed from Authority to
-- Coordinator while suspended came back with no Approver, and roles removed while suspended
-- were missed until the re-grant.  It now counts every access that is granted or suspended
-- (a suspended coordinator is still the module's coordinator), and nothing for a deleted
-- authority (its users are deleted with it on purpose).

CREATE OR REPLACE FUNCTION role_violations(p_authority bigint) RETURNS TABLE (rule text, module text)
	LANGUAGE sql STABLE AS $$
	WITH live AS (
		SELECT r.module, r.role FROM user_roles r JOIN users u ON u.id = r.user_id
		 WHERE u.authority_id = p_authority AND u.deleted_at IS NULL),
	me AS (
		SELECT a.id FROM authorities a WHERE a.id = p_authority AND a.deleted_at IS NULL),
	accesses AS (
		SELECT ma.module, ma.role, ma.allocation, m.kind FROM module_accesses ma
		  JOIN me ON me.id = ma.authority_id
		  JOIN modules m ON m.code = ma.module
		  JOIN wf_instances i ON i.id = ma.instance_id AND i.state IN ('granted', 'suspended'))
	SELECT 'administrator', '' FROM me WHERE NOT EXISTS (SELECT 1 FROM live WHERE role = 'administrator')
	UNION ALL
	SELECT 'approver', a.module FROM accesses a
	 WHERE a.role = 'coordinator' AND a.kind <> 'register'
	   AND NOT EXISTS (SELECT 1 FROM live l WHERE l.module = a.module AND l.role = 'approver')
	UNION ALL
	SELECT 'handler', a.module FROM accesses a
	 WHERE a.kind = 'request'
	   AND NOT EXISTS (SELECT 1 FROM live l WHERE l.module = a.module AND l.role = 'handler')
	UNION ALL
	SELECT 'allocator', a.module FROM accesses a
	 WHERE a.kind = 'request' AND a.allocation
	   AND NOT EXISTS (SELECT 1 FROM live l WHERE l.module = a.module AND l.role = 'allocator')
$$;

-- Seed 000: "The authority's Administrators are automatically assigned allocator rights"
-- when allocation is switched on, and (issue 12) the Approver role when the access becomes a
-- Coordinator's, as a new access gives them every role of the module.  Only a role the
-- authority may hold in the module (module_roles) is given.  Returns how many were added.
CREATE FUNCTION give_administrators_role(p_authority bigint, p_module text, p_role text)
	RETURNS integer LANGUAGE sql AS $$
	WITH added AS (
		INSERT INTO user_roles (user_id, module, role)
		SELECT u.id, p_module, p_role FROM users u
		  JOIN user_roles ad ON ad.user_id = u.id AND ad.module = '' AND ad.role = 'administrator'
		 WHERE u.authority_id = p_authority AND u.deleted_at IS NULL
		   AND EXISTS (SELECT 1 FROM module_roles(p_authority) r
		                WHERE r.module = p_module AND r.role = p_role)
		ON CONFLICT DO NOTHING RETURNING 1)
	SELECT count(*)::integer FROM added
$$;

-- Authorities left broken by the ways in that are closed now (a module's rule, not the
-- Administrator's): their Administrators take the missing role, as the pages now do.
SELECT give_administrators_role(a.id, v.module, v.rule)
  FROM authorities a CROSS JOIN LATERAL role_violations(a.id) v
 WHERE v.rule <> 'administrator';
