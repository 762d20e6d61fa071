-- 019_login_throttle.sql — failed sign-ins slow down further attempts, per username and per
-- client address, so that nobody can cheaply guess passwords or block the passwords of a
-- whole authority (five wrong ones in a row block a password, seed 001 §3.2.1).
--
-- One row per username (as typed, lower case, whether or not such a user exists: the answer
-- must not tell) and per address (IPv4 as is, IPv6 by its /64, computed by the engine).  The
-- first "free" failures in a row cost nothing; after them every further attempt must wait
-- until next_allowed_at: the delay doubles with each failure, at most 15 minutes.  A run of
-- failures ends an hour after its last one; a successful sign-in ends the username's run (not
-- the address's: an attacker with an account of their own must not reset it).  Rows a day old
-- are removed by the next failure.
CREATE TABLE login_throttle (
	kind text NOT NULL CHECK (kind IN ('username', 'address')),
	key text NOT NULL,
	failures integer NOT NULL,
	last_failure_at timestamptz NOT NULL,
	next_allowed_at timestamptz NOT NULL,
	PRIMARY KEY (kind, key)
);
CREATE INDEX login_throttle_last_failure ON login_throttle (last_failure_at);

-- The wait after the n-th failure in a row when the first `free` are free.
CREATE FUNCTION login_throttle_delay(n integer, free integer, base_seconds double precision)
RETURNS interval LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN n < free THEN interval '0'
	            ELSE make_interval(secs => least(900, base_seconds * power(2, least(n - greatest(free, 1), 20))))
	       END
$$;

-- Seconds until an attempt for this username from this address is allowed; 0: now.
CREATE FUNCTION login_throttle_wait(p_username text, p_address text)
RETURNS double precision LANGUAGE sql STABLE AS $$
	SELECT coalesce(greatest(0, extract(epoch FROM max(next_allowed_at) - now())), 0)::float8
	  FROM login_throttle
	 WHERE (kind = 'username' AND key = lower(p_username))
	    OR (kind = 'address' AND key = p_address)
$$;

CREATE FUNCTION login_throttle_note(p_kind text, p_key text, p_free integer,
    p_base_seconds double precision)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO login_throttle AS t (kind, key, failures, last_failure_at, next_allowed_at)
	VALUES (p_kind, p_key, 1, now(), now() + login_throttle_delay(1, p_free, p_base_seconds))
	ON CONFLICT (kind, key) DO UPDATE
	   SET failures = CASE WHEN t.last_failure_at < now() - interval '1 hour' THEN 1
	                       ELSE t.failures + 1 END,
	       last_failure_at = now(),
	       next_allowed_at = now() + login_throttle_delay(
	           CASE WHEN t.last_failure_at < now() - interval '1 hour' THEN 1
	                ELSE t.failures + 1 END, p_free, p_base_seconds)
$$;

-- A failed sign-in, whatever its cause (unknown username, wrong password, blocked password),
-- does the same work: both throttle rows, and the user's run of wrong passwords when the
-- username exists (p_user_id).  True when this failure blocked the password: the caller fires
-- "block" on it (workflows/password.xml), which mails its holder.
CREATE FUNCTION login_failed(p_username text, p_address text, p_user_id bigint,
    p_block_after integer, p_username_free integer, p_address_free integer,
    p_base_seconds double precision)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	v_before text;
	v_after text;
BEGIN
	DELETE FROM login_throttle WHERE last_failure_at < now() - interval '1 day';
	PERFORM login_throttle_note('username', lower(p_username), p_username_free, p_base_seconds);
	PERFORM login_throttle_note('address', p_address, p_address_free, p_base_seconds);
	IF p_user_id IS NULL THEN
		RETURN false;
	END IF;
	SELECT password_state INTO v_before FROM users WHERE id = p_user_id FOR UPDATE;
	UPDATE users SET failed_logins = failed_logins + 1,
	       password_state = CASE WHEN failed_logins + 1 >= p_block_after THEN 'blocked'
	                             ELSE password_state END
	 WHERE id = p_user_id
	RETURNING password_state INTO v_after;
	RETURN v_before IS DISTINCT FROM 'blocked' AND v_after = 'blocked';
END
$$;
