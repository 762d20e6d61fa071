-- 005_authorities.sql — the authority lifecycle's data: the module catalogue
-- (from workflows/modules.xml, loaded by `imiflow deploy`), authority details and
-- classification, access managers, per-module access with its settings and
-- linked coordinators, invitations to self-register, and a history of updates.
-- States (active, deactivated, granted, suspended, ...) live in the workflow
-- instances these rows point at: workflows/authority.xml, module-access.xml,
-- invitation.xml.

CREATE TABLE modules (
	code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9-]{0,62}$'),
	name text NOT NULL,
	kind text NOT NULL CHECK (kind IN ('request', 'notification', 'alert', 'register')),
	legal_area text NOT NULL,
	-- An authority role in this module needs at least one linked coordinator.
	needs_coordinator boolean NOT NULL DEFAULT false,
	keywords text[] NOT NULL DEFAULT '{}',
	position integer NOT NULL DEFAULT 0
);

ALTER TABLE authorities
	ADD COLUMN informal_title text CHECK (length(informal_title) <= 300),
	ADD COLUMN address text CHECK (length(address) <= 1000),
	ADD COLUMN phone text CHECK (length(phone) <= 64),
	ADD COLUMN website text CHECK (length(website) <= 300),
	ADD COLUMN authority_type text NOT NULL DEFAULT 'competent-authority'
		CHECK (authority_type IN ('nimic', 'coordinator-national', 'coordinator-regional',
		    'coordinator-federal-state', 'coordinator-autonomous-community', 'coordinator-area',
		    'competent-authority', 'solvit-centre')),
	-- Assigned by the helpdesk; NIMICs hold it whatever this says.
	ADD COLUMN is_access_manager boolean NOT NULL DEFAULT false,
	ADD COLUMN instance_id bigint REFERENCES wf_instances,
	ADD COLUMN deleted_at timestamptz;
UPDATE authorities SET authority_type = 'nimic' WHERE is_nimic;
CREATE UNIQUE INDEX authorities_name_key ON authorities (country, lower(official_name))
	WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX authorities_email_key ON authorities (lower(email))
	WHERE deleted_at IS NULL AND email IS NOT NULL;

-- "My authorities": which authorities manage which.
CREATE TABLE authority_managers (
	authority_id bigint NOT NULL REFERENCES authorities,
	manager_id bigint NOT NULL REFERENCES authorities,
	added_by bigint REFERENCES users,
	added_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (authority_id, manager_id)
);
CREATE INDEX authority_managers_manager ON authority_managers (manager_id);

-- One per authority and module; its state (granted, suspended) is the instance's.
CREATE TABLE module_accesses (
	id bigserial PRIMARY KEY,
	authority_id bigint NOT NULL REFERENCES authorities,
	module text NOT NULL REFERENCES modules,
	role text NOT NULL CHECK (role IN ('authority', 'coordinator')),
	keywords text[] NOT NULL DEFAULT '{}',
	approval_required boolean NOT NULL DEFAULT false,
	right_to_refuse boolean NOT NULL DEFAULT false,
	allocation boolean NOT NULL DEFAULT false,
	instance_id bigint NOT NULL REFERENCES wf_instances,
	UNIQUE (authority_id, module)
);

CREATE TABLE access_coordinators (
	access_id bigint NOT NULL REFERENCES module_accesses ON DELETE CASCADE,
	coordinator_id bigint NOT NULL REFERENCES authorities,
	PRIMARY KEY (access_id, coordinator_id)
);
CREATE INDEX access_coordinators_coordinator ON access_coordinators (coordinator_id);

-- An invitation to self-register: a single-use, expiring link mailed to an address.
CREATE TABLE invitations (
	id bigserial PRIMARY KEY,
	token_hash text NOT NULL UNIQUE,
	email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
	country char(2) NOT NULL REFERENCES countries,
	message text CHECK (length(message) <= 2000),
	inviting_authority_id bigint NOT NULL REFERENCES authorities,
	invited_by bigint REFERENCES users,
	expires_at timestamptz NOT NULL,
	used_at timestamptz,
	authority_id bigint REFERENCES authorities,    -- the authority it registered
	instance_id bigint NOT NULL REFERENCES wf_instances,
	created_at timestamptz NOT NULL DEFAULT imi_now()
);

-- The history of updates of the Management information tab: who, when, what
-- changed (field names, never values, so it stays anonymous after deletion).
CREATE TABLE authority_updates (
	id bigserial PRIMARY KEY,
	authority_id bigint NOT NULL REFERENCES authorities,
	at timestamptz NOT NULL DEFAULT imi_now(),
	user_id bigint REFERENCES users,
	actor_authority_id bigint REFERENCES authorities,
	what text NOT NULL,
	fields text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX authority_updates_authority ON authority_updates (authority_id, id);

-- Does the authority hold a granted (not suspended) access to the module?  The
-- exchanges ask this before anything new starts or arrives.
CREATE FUNCTION module_access_active(p_authority bigint, p_module text) RETURNS boolean
	LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM module_accesses m JOIN wf_instances i ON i.id = m.instance_id
	                JOIN authorities a ON a.id = m.authority_id
	                JOIN wf_instances ai ON ai.id = a.instance_id
	               WHERE m.authority_id = p_authority AND m.module = p_module
	                 AND i.state = 'granted' AND ai.state = 'active')
$$;

-- The authority's lifecycle state ('active', 'deactivated', ...).
CREATE FUNCTION authority_state(p_authority bigint) RETURNS text
	LANGUAGE sql STABLE AS $$
	SELECT i.state FROM authorities a JOIN wf_instances i ON i.id = a.instance_id
	 WHERE a.id = p_authority
$$;

-- May the authority manage others?  NIMICs always; others when the helpdesk said so.
CREATE FUNCTION is_access_manager(p_authority bigint) RETURNS boolean
	LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT a.is_nimic OR a.is_access_manager OR a.is_helpdesk
	                   FROM authorities a WHERE a.id = p_authority AND a.deleted_at IS NULL), false)
$$;
