-- 026_registers.sql — repositories (issue 15 §1): horizontal modules and the rule of who sees a
-- published entry.  The entries themselves are cases (wf_form_versions, wf_participants); the
-- workflows are data (workflows/register-entry.xml, cit-licence.xml).

-- A horizontal module (seed 002: "All active IMI authorities are granted access to this
-- horizontal module, newly registered IMI authorities will automatically be granted access to
-- it"): the catalogue says so (modules.xml horizontal="true"); the action
-- grant-horizontal-modules gives the access when an authority becomes active.  An Access
-- Manager may still suspend it like any other.
ALTER TABLE modules ADD COLUMN horizontal boolean NOT NULL DEFAULT false;

-- A published repository entry: every user with a role in its module whose own access is
-- granted sees it while it is `active`; the users (with a role in the module) of its
-- authority and of its participants (the IMI managers) see it in every state, drafts
-- included; the helpdesk's users see it always (they change the managers).  Inlinable as
-- those of sql/015 and sql/021.
CREATE FUNCTION published_visible_to(p_instance bigint, p_user bigint) RETURNS SETOF bigint
	LANGUAGE sql STABLE ROWS 1 AS $$
	SELECT i.id FROM wf_instances i JOIN users u ON u.id = p_user AND u.deleted_at IS NULL
	  JOIN authorities me ON me.id = u.authority_id
	 WHERE i.id = p_instance
	   AND (me.is_helpdesk
	        OR (EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.module = i.module)
	            AND (u.authority_id = i.authority_id
	                 OR EXISTS (SELECT 1 FROM wf_participants p
	                             WHERE p.instance_id = i.id AND p.authority_id = u.authority_id)
	                 OR (i.state = 'active' AND module_access_active(u.authority_id, i.module)))))
$$;

-- The security log records an access granted by the system as one granted by an Access
-- Manager (sql/024): the trigger's events gain grant-automatically.
DROP TRIGGER security_log_access ON wf_history;
CREATE TRIGGER security_log_access AFTER INSERT ON wf_history
	FOR EACH ROW WHEN (NEW.event IN ('grant', 'grant-automatically', 'regrant', 'suspend'))
	EXECUTE FUNCTION security_log_access();

-- Existing authorities get the Registers module, as new ones do at registration.  Only an
-- installation that already runs (the module-access workflow is deployed): on a fresh
-- database the catalogue is not loaded yet and there is no authority.  The module row is
-- made here because deploy loads the catalogue after migrating; deploy then updates it.  Each
-- access is what grant-horizontal-modules leaves: a module-access instance in `granted`
-- (history: start, then grant-automatically by the system), the access row with the role
-- authority, and Viewer and Handler for the authority's Administrators.
DO $$
DECLARE
	v integer;
	a record;
	iid bigint;
BEGIN
	SELECT max(version) INTO v FROM wf_definitions WHERE name = 'module-access';
	IF v IS NULL THEN
		RETURN;
	END IF;
	INSERT INTO modules (code, name, kind, legal_area, needs_coordinator, horizontal, position)
	VALUES ('registers', 'Directory of registers', 'register', 'Registers', false, true,
	        (SELECT coalesce(max(position), 0) + 1 FROM modules))
	ON CONFLICT (code) DO UPDATE SET horizontal = true;
	FOR a IN SELECT au.id FROM authorities au JOIN wf_instances ai ON ai.id = au.instance_id
	          WHERE ai.state = 'active' AND au.deleted_at IS NULL
	            AND NOT EXISTS (SELECT 1 FROM module_accesses ma
	                             WHERE ma.authority_id = au.id AND ma.module = 'registers')
	          ORDER BY au.id LOOP
		INSERT INTO wf_instances (definition, version, state, rev, module, authority_id, seen_by)
		VALUES ('module-access', v, 'granted', 2, 'registers', a.id, 'managed') RETURNING id INTO iid;
		INSERT INTO wf_history (instance_id, seq, event, from_state, to_state, actor_kind)
		VALUES (iid, 1, 'start', NULL, 'new', 'system'),
		       (iid, 2, 'grant-automatically', 'new', 'granted', 'system');
		INSERT INTO module_accesses (authority_id, module, role, instance_id)
		VALUES (a.id, 'registers', 'authority', iid);
		INSERT INTO user_roles (user_id, module, role)
		SELECT u.id, 'registers', r.role FROM users u
		  JOIN user_roles ad ON ad.user_id = u.id AND ad.module = '' AND ad.role = 'administrator'
		  CROSS JOIN (VALUES ('viewer'), ('handler')) r(role)
		 WHERE u.authority_id = a.id AND u.deleted_at IS NULL
		ON CONFLICT DO NOTHING;
	END LOOP;
END $$;
