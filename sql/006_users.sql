-- 006_users.sql — users and roles per authority (issue "Users"): phone, the
-- password lifecycle's workflow instance (workflows/password.xml), and the
-- role invariants every change of users or roles must keep.

ALTER TABLE users
	ADD COLUMN phone text CHECK (length(phone) <= 64),
	ADD COLUMN password_instance_id bigint REFERENCES wf_instances;
CREATE UNIQUE INDEX users_password_instance ON users (password_instance_id);

-- The rules of seed 000 §3 that an authority's users and roles must keep,
-- as the list of what is broken now (empty: all hold):
--   administrator          at least one Administrator
--   approver   MODULE      a coordinator keeps at least one Approver per module
--   handler    MODULE      an authority with a request module keeps at least one Handler
--   allocator  MODULE      with allocation on, at least one Allocator
CREATE FUNCTION role_violations(p_authority bigint) RETURNS TABLE (rule text, module text)
	LANGUAGE sql STABLE AS $$
	WITH live AS (
		SELECT r.module, r.role FROM user_roles r JOIN users u ON u.id = r.user_id
		 WHERE u.authority_id = p_authority AND u.deleted_at IS NULL),
	accesses AS (
		SELECT ma.module, ma.role, ma.allocation, m.kind FROM module_accesses ma
		  JOIN modules m ON m.code = ma.module
		  JOIN wf_instances i ON i.id = ma.instance_id AND i.state = 'granted'
		 WHERE ma.authority_id = p_authority)
	SELECT 'administrator', '' WHERE NOT EXISTS (SELECT 1 FROM live WHERE role = 'administrator')
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

-- The roles an authority's users may hold in a module (seed 000 §3.2):
-- Viewer and Handler; Allocator in request modules; Approver only where the
-- authority is the module's coordinator.
CREATE FUNCTION module_roles(p_authority bigint) RETURNS TABLE (module text, role text)
	LANGUAGE sql STABLE AS $$
	SELECT ma.module, r.role FROM module_accesses ma JOIN modules m ON m.code = ma.module
	 CROSS JOIN (VALUES (1, 'viewer'), (2, 'handler'), (3, 'approver'), (4, 'allocator')) r(n, role)
	 WHERE ma.authority_id = p_authority
	   AND (r.role <> 'allocator' OR m.kind = 'request')
	   AND (r.role <> 'approver' OR (ma.role = 'coordinator' AND m.kind <> 'register'))
	 ORDER BY m.position, m.code, r.n
$$;
