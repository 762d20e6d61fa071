-- 021_participants.sql — one-to-many exchanges (issue 14): the participants of an instance,
-- one row per recipient authority and role in the case, each with its own small state
-- (received → disseminated), added by <add-participants> and moved by <participant-state>.
-- Nothing on the instance row counts them: two coordinators disseminating at once each add
-- their own rows, and neither waits on the other's (research §6: shared counters on the case
-- row are where Camunda's and Flowable's multi-instance stall).

CREATE TABLE wf_participants (
	instance_id bigint NOT NULL REFERENCES wf_instances ON DELETE CASCADE,
	authority_id bigint NOT NULL REFERENCES authorities,
	country text NOT NULL,
	role text NOT NULL,
	state text NOT NULL,
	added_seq integer NOT NULL,
	added_by bigint REFERENCES authorities,
	added_at timestamptz NOT NULL DEFAULT now(),
	changed_seq integer,
	changed_at timestamptz,
	PRIMARY KEY (instance_id, role, authority_id)
);
CREATE INDEX wf_participants_authority ON wf_participants (authority_id);

-- The visibility rule an instance runs, copied from its definition's seen-by at start and
-- kept for life, as its version is; '' is the domain's default rule.
ALTER TABLE wf_instances ADD COLUMN seen_by text NOT NULL DEFAULT '';
UPDATE wf_instances SET seen_by = 'request' WHERE definition = 'information-request';
UPDATE wf_instances SET seen_by = 'managed'
 WHERE definition IN ('authority', 'module-access', 'invitation');

-- A one-to-many exchange (a notification, an alert): users with a role in its module, of the
-- sending authority, of an authority that participates, or — once it left draft — of a linked
-- coordinator of the sender in that module.  Inlinable as those of sql/015.
CREATE FUNCTION exchange_visible_to(p_instance bigint, p_user bigint) RETURNS SETOF bigint
	LANGUAGE sql STABLE ROWS 1 AS $$
	SELECT i.id FROM wf_instances i JOIN users u ON u.id = p_user AND u.deleted_at IS NULL
	 WHERE i.id = p_instance
	   AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.module = i.module)
	   AND (u.authority_id = i.authority_id
	        OR EXISTS (SELECT 1 FROM wf_participants p
	                    WHERE p.instance_id = i.id AND p.authority_id = u.authority_id)
	        OR (i.state <> 'draft'
	            AND EXISTS (SELECT 1 FROM module_accesses ma
	                          JOIN access_coordinators c ON c.access_id = ma.id
	                         WHERE ma.authority_id = i.authority_id AND ma.module = i.module
	                           AND c.coordinator_id = u.authority_id)))
$$;

-- For the selectors IMI registers (engine/imi/imi_register.c): the active authorities with a
-- granted access to the module, with that access's role.  One set, so a broadcast to 30
-- countries is one join, not a call per authority.
CREATE FUNCTION module_members(p_module text) RETURNS TABLE (authority_id bigint, country text,
	access_role text)
	LANGUAGE sql STABLE AS $$
	SELECT a.id, a.country::text, m.role FROM module_accesses m
	  JOIN wf_instances mi ON mi.id = m.instance_id AND mi.state = 'granted'
	  JOIN authorities a ON a.id = m.authority_id AND a.deleted_at IS NULL
	  JOIN wf_instances ai ON ai.id = a.instance_id AND ai.state = 'active'
	 WHERE m.module = p_module
$$;
