-- 012_request_visible.sql — who sees a request, in one place for every page that shows
-- one (the request pages, the generic instance page, its documents): the users of the
-- requester; once submitted, the users of the requester's linked coordinators; once sent,
-- the users of the responder and of its linked coordinators; the helpdesk.  A draft is its
-- author's alone.
CREATE FUNCTION request_visible(p_instance bigint, p_viewer bigint) RETURNS boolean
	LANGUAGE sql STABLE AS $$
SELECT EXISTS (
	SELECT 1 FROM requests r JOIN wf_instances i ON i.id = r.instance_id
	 WHERE r.instance_id = p_instance
	   AND (r.requester_id = p_viewer
	        OR EXISTS (SELECT 1 FROM authorities me WHERE me.id = p_viewer AND me.is_helpdesk)
	        OR (i.state NOT IN ('draft', 'deleted')
	            AND EXISTS (SELECT 1 FROM module_accesses ma
	                          JOIN access_coordinators c ON c.access_id = ma.id
	                         WHERE ma.module = r.module AND ma.authority_id = r.requester_id
	                           AND c.coordinator_id = p_viewer))
	        OR (i.state NOT IN ('draft', 'awaiting-approval', 'deleted')
	            AND (r.responder_id = p_viewer
	                 OR EXISTS (SELECT 1 FROM module_accesses ma
	                              JOIN access_coordinators c ON c.access_id = ma.id
	                             WHERE ma.module = r.module AND ma.authority_id = r.responder_id
	                               AND c.coordinator_id = p_viewer)))))
$$;
