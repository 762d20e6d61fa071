-- 001_foundation.sql — the ground: clock, countries, authorities, users and
-- roles, passwords, sessions, and the mail outbox.

-- Business time.  Everything that expires (sessions, passwords, deadlines) is
-- measured with imi_now(), so tests move the clock instead of the calendar.
-- In production the offset stays zero.
CREATE TABLE clock (
	id boolean PRIMARY KEY DEFAULT true CHECK (id),
	offset_interval interval NOT NULL DEFAULT '0'
);
INSERT INTO clock DEFAULT VALUES;

CREATE FUNCTION imi_now() RETURNS timestamptz
	LANGUAGE sql STABLE
	AS $$ SELECT now() + (SELECT offset_interval FROM clock) $$;

-- EU member states and the EEA countries (IMI's participants).
CREATE TABLE countries (
	code char(2) PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
	name text NOT NULL,
	eea_only boolean NOT NULL DEFAULT false
);
INSERT INTO countries (code, name, eea_only) VALUES
	('AT', 'Austria', false), ('BE', 'Belgium', false), ('BG', 'Bulgaria', false),
	('HR', 'Croatia', false), ('CY', 'Cyprus', false), ('CZ', 'Czechia', false),
	('DK', 'Denmark', false), ('EE', 'Estonia', false), ('FI', 'Finland', false),
	('FR', 'France', false), ('DE', 'Germany', false), ('EL', 'Greece', false),
	('HU', 'Hungary', false), ('IE', 'Ireland', false), ('IT', 'Italy', false),
	('LV', 'Latvia', false), ('LT', 'Lithuania', false), ('LU', 'Luxembourg', false),
	('MT', 'Malta', false), ('NL', 'Netherlands', false), ('PL', 'Poland', false),
	('PT', 'Portugal', false), ('RO', 'Romania', false), ('SK', 'Slovakia', false),
	('SI', 'Slovenia', false), ('ES', 'Spain', false), ('SE', 'Sweden', false),
	('IS', 'Iceland', true), ('LI', 'Liechtenstein', true), ('NO', 'Norway', true);

CREATE TABLE authorities (
	id bigserial PRIMARY KEY,
	official_name text NOT NULL CHECK (length(official_name) BETWEEN 1 AND 300),
	country char(2) NOT NULL REFERENCES countries,
	email text,
	is_helpdesk boolean NOT NULL DEFAULT false,
	is_nimic boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
	id bigserial PRIMARY KEY,
	authority_id bigint NOT NULL REFERENCES authorities,
	username text NOT NULL CHECK (username ~ '^[A-Za-z0-9._-]{3,64}$'),
	email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
	first_name text NOT NULL,
	last_name text NOT NULL,
	language text NOT NULL DEFAULT 'en',
	password_hash text,
	password_state text NOT NULL DEFAULT 'temporary'
		CHECK (password_state IN ('temporary', 'valid', 'expired', 'blocked')),
	password_changed_at timestamptz NOT NULL DEFAULT now(),
	failed_logins integer NOT NULL DEFAULT 0,
	last_login_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE deleted_at IS NULL;
CREATE INDEX users_authority ON users (authority_id);

-- module '' holds the authority-wide role (administrator); module roles
-- (viewer, handler, approver, allocator) name their module.
CREATE TABLE user_roles (
	user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	module text NOT NULL DEFAULT '',
	role text NOT NULL CHECK (role IN ('administrator', 'viewer', 'handler', 'approver', 'allocator')),
	PRIMARY KEY (user_id, module, role)
);

-- Every password a user had, newest last: "the last 5 passwords cannot be used".
CREATE TABLE password_history (
	id bigserial PRIMARY KEY,
	user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	hash text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_history_user ON password_history (user_id, id DESC);

CREATE TABLE sessions (
	id bigserial PRIMARY KEY,
	token_hash text NOT NULL UNIQUE,
	user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	csrf text NOT NULL,
	created_at timestamptz NOT NULL,
	last_seen_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- The transactional outbox: written in the transaction that causes the mail,
-- delivered by a worker afterwards, at least once, with a stable Message-ID.
CREATE TABLE outbox (
	id bigserial PRIMARY KEY,
	message_id text NOT NULL UNIQUE DEFAULT '<' || gen_random_uuid() || '@imiflow>',
	recipient text NOT NULL,
	subject text NOT NULL,
	body text NOT NULL,
	headers text,
	template text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL DEFAULT now(),
	next_attempt_at timestamptz NOT NULL DEFAULT now(),
	attempts integer NOT NULL DEFAULT 0,
	sent_at timestamptz,
	failed_at timestamptz,
	last_error text
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE sent_at IS NULL AND failed_at IS NULL;
