-- 024_security_log.sql — the security log (ASVS 5.0 V16): sign-ins and their failures,
-- blocks and throttling, password changes and resets, users added and deleted, role changes,
-- module accesses granted and suspended, and readings of blocked personal data.  Each row is
-- written in the transaction of the event it records, so a row exists exactly when the event
-- happened.  Who acted (user and authority; none for nobody signed in or the system), whose
-- access it concerns, from which address (nginx's REMOTE_ADDR) and in which request (the id
-- in the engine's and nginx's logs).  Never a password, a token or a typed username that
-- matches nobody (people type passwords into the username field).  Append-only, like
-- wf_history: the application inserts and reads, nothing updates or deletes.
CREATE TABLE security_log (
	id bigserial PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	kind text NOT NULL CHECK (kind IN ('login', 'login-failed', 'login-throttled',
		'password-blocked', 'password-changed', 'password-reset', 'logout', 'user-added',
		'user-deleted', 'roles-changed', 'access-granted', 'access-suspended',
		'disclosure')),
	-- No foreign keys: the log outlives the users and authorities it names.
	actor_user_id bigint,
	actor_authority_id bigint,
	subject_user_id bigint,
	address text CHECK (length(address) <= 64),
	request_id text CHECK (length(request_id) <= 64),
	detail text NOT NULL DEFAULT '' CHECK (length(detail) <= 500)
);
CREATE INDEX security_log_at ON security_log (at DESC, id DESC);
CREATE INDEX security_log_kind ON security_log (kind, at DESC);
CREATE INDEX security_log_subject ON security_log (subject_user_id, at DESC);
CREATE INDEX security_log_actor ON security_log (actor_user_id, at DESC);

CREATE FUNCTION security_log_is_append_only() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'security_log is append-only: % refused', TG_OP
		USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER security_log_append_only BEFORE UPDATE OR DELETE ON security_log
	FOR EACH ROW EXECUTE FUNCTION security_log_is_append_only();
CREATE TRIGGER security_log_no_truncate BEFORE TRUNCATE ON security_log
	FOR EACH STATEMENT EXECUTE FUNCTION security_log_is_append_only();

-- A user's roles as one line ("administrator IR:handler IR:viewer"), to record a change.
CREATE FUNCTION user_roles_text(uid bigint) RETURNS text
	LANGUAGE sql STABLE AS $$
	SELECT coalesce(string_agg(CASE WHEN module = '' THEN role ELSE module || ':' || role END,
	                           ' ' ORDER BY module, role), '')
	  FROM user_roles WHERE user_id = uid
$$;

-- Module access granted (grant, regrant) and suspended, whichever page fires it (the Modules
-- tab, the generic instance page): written by the history row of the transition, in its
-- transaction.  The trigger knows no address or request id; the request id is in the
-- engine's log line of the same transition.
CREATE FUNCTION security_log_access() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO security_log (kind, actor_user_id, actor_authority_id, detail)
	SELECT CASE WHEN NEW.event = 'suspend' THEN 'access-suspended' ELSE 'access-granted' END,
	       NEW.actor_user_id, NEW.actor_authority_id,
	       'authority ' || i.authority_id || ', module ' || i.module || ': ' || NEW.event
	  FROM wf_instances i WHERE i.id = NEW.instance_id AND i.definition = 'module-access';
	RETURN NULL;
END $$;
CREATE TRIGGER security_log_access AFTER INSERT ON wf_history
	FOR EACH ROW WHEN (NEW.event IN ('grant', 'regrant', 'suspend'))
	EXECUTE FUNCTION security_log_access();
