-- 028_security_hardening.sql — ASVS 5.0 L2 gaps closed (issue 18 §4, tests/SECURITY.md):
-- refused authorisation in the security log (16.3.2), a failed re-authentication before an
-- e-mail change (7.5.1), and "sign out everywhere else" (7.5.2).

ALTER TABLE security_log DROP CONSTRAINT security_log_kind_check;
ALTER TABLE security_log ADD CONSTRAINT security_log_kind_check CHECK (kind IN ('login',
	'login-failed', 'login-throttled', 'password-blocked', 'password-changed', 'password-reset',
	'logout', 'user-added', 'user-deleted', 'roles-changed', 'access-granted',
	'access-suspended', 'disclosure',
	-- 028: a 403 (the page or action is not the user's), a 404 for an object that exists
	-- but is not the user's to see (need to know), a wrong password typed again before an
	-- e-mail change, the user's other sessions ended from My profile.
	'forbidden', 'need-to-know', 'reauth-failed', 'sessions-ended'));

-- Whether the object a refused path names exists: a 404 for one that does is need to know
-- at work (logged), one for an id that names nothing is a mistyped link (not logged).  The
-- collection is the path's first segment (after /admin/ for the administration pages).
CREATE FUNCTION refused_object_exists(collection text, object_id bigint) RETURNS boolean
	LANGUAGE sql STABLE AS $$
	SELECT CASE collection
		WHEN 'instances' THEN EXISTS (SELECT FROM wf_instances WHERE id = object_id)
		WHEN 'requests' THEN EXISTS (SELECT FROM requests WHERE id = object_id)
		WHEN 'authorities' THEN EXISTS (SELECT FROM authorities WHERE id = object_id)
		WHEN 'users' THEN EXISTS (SELECT FROM users WHERE id = object_id AND deleted_at IS NULL)
		WHEN 'sent-emails' THEN EXISTS (SELECT FROM sent_messages WHERE id = object_id)
		ELSE false END
$$;

-- The refusals of one user (or, for nobody signed in, one address) of one kind within a
-- minute: refusal_log.c writes at most one row per minute each, so a script probing ids
-- cannot flood the log.
CREATE INDEX security_log_refusals ON security_log (kind, actor_user_id, at DESC)
	WHERE kind IN ('forbidden', 'need-to-know');
