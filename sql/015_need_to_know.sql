-- 015_need_to_know.sql — who sees an instance, decided per user (Regulation (EU) 1024/2012
-- art. 9(4) and 9(6), seed 000 §3.2.1).  Each function answers for one instance and one user
-- by returning the instance's id when that user may see it, and no row when not; callers ask
-- EXISTS (SELECT FROM f(instance, user)).  engine/registry.h names the one each definition
-- uses, and the pages and the firing path put it into their own statements.  They are
-- single-SELECT set-returning SQL functions, STABLE and not STRICT, so PostgreSQL inlines them
-- into the statement that asks (a list asks per row, and plans it as a join); a scalar SQL
-- function with a subquery would be called row by row instead.

-- An information request: only users with a role (Viewer, Handler, Approver, Allocator) in
-- its module see it, and only while their authority is a party: the requester; once
-- submitted, the requester's linked coordinators; once sent, the responder and its linked
-- coordinators.  A draft (and a deleted draft) is its author's alone.  The helpdesk is no
-- party by being the helpdesk (request_support_view below).
CREATE FUNCTION request_visible_to(p_instance bigint, p_user bigint) RETURNS SETOF bigint
	LANGUAGE sql STABLE ROWS 1 AS $$
	SELECT r.instance_id FROM requests r JOIN wf_instances i ON i.id = r.instance_id
	  JOIN users u ON u.id = p_user AND u.deleted_at IS NULL
	 WHERE r.instance_id = p_instance
	   AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.module = r.module)
	   AND CASE WHEN i.state IN ('draft', 'deleted') THEN i.created_by = u.id
	       ELSE u.authority_id = r.requester_id
	            OR (i.state <> 'awaiting-approval' AND u.authority_id = r.responder_id)
	            OR EXISTS (SELECT 1 FROM module_accesses ma
	                         JOIN access_coordinators c ON c.access_id = ma.id
	                        WHERE ma.module = r.module AND c.coordinator_id = u.authority_id
	                          AND (ma.authority_id = r.requester_id
	                               OR (i.state <> 'awaiting-approval'
	                                   AND ma.authority_id = r.responder_id)))
	       END
$$;

-- The helpdesk's support view of a request it is no party to: its metadata only (module,
-- authorities, dates, state), once it left its author's hands.
CREATE FUNCTION request_support_view(p_instance bigint, p_user bigint) RETURNS SETOF bigint
	LANGUAGE sql STABLE ROWS 1 AS $$
	SELECT i.id FROM wf_instances i, users u JOIN authorities a ON a.id = u.authority_id
	 WHERE i.id = p_instance AND i.state NOT IN ('draft', 'deleted')
	   AND u.id = p_user AND u.deleted_at IS NULL AND a.is_helpdesk
$$;

-- Authorities, module accesses and invitations: the authority's own users, the helpdesk's,
-- and those of the NIMICs and Access Managers of its country (who manage it).
CREATE FUNCTION managed_instance_visible_to(p_instance bigint, p_user bigint) RETURNS SETOF bigint
	LANGUAGE sql STABLE ROWS 1 AS $$
	SELECT i.id FROM wf_instances i JOIN users u ON u.id = p_user AND u.deleted_at IS NULL
	  JOIN authorities me ON me.id = u.authority_id
	  LEFT JOIN authorities a ON a.id = i.authority_id
	 WHERE i.id = p_instance
	   AND (i.authority_id = me.id OR me.is_helpdesk
	        OR ((me.is_nimic OR me.is_access_manager) AND me.country = a.country))
$$;

-- Every other instance: its authority's users and the helpdesk's.
CREATE FUNCTION instance_visible_to(p_instance bigint, p_user bigint) RETURNS SETOF bigint
	LANGUAGE sql STABLE ROWS 1 AS $$
	SELECT i.id FROM wf_instances i JOIN users u ON u.id = p_user AND u.deleted_at IS NULL
	  JOIN authorities me ON me.id = u.authority_id
	 WHERE i.id = p_instance AND (i.authority_id = me.id OR me.is_helpdesk)
$$;

-- It decided per authority, which let every user of a party read a request whatever their
-- roles; gone, so that nothing can keep asking it.
DROP FUNCTION request_visible(bigint, bigint);
