-- 002_workflow.sql — the workflow engine's tables: deployed definitions (versioned),
-- instances, their append-only history, timers and stored parties.

CREATE TABLE wf_definitions (
	name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9-]{0,62}$'),
	version integer NOT NULL CHECK (version > 0),
	content text NOT NULL,
	sha256 text NOT NULL,
	deployed_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (name, version)
);

CREATE TABLE wf_instances (
	id bigserial PRIMARY KEY,
	definition text NOT NULL,
	version integer NOT NULL,
	state text NOT NULL,
	rev integer NOT NULL DEFAULT 1,          -- bumped by every transition: "changed meanwhile"
	module text NOT NULL DEFAULT '',
	authority_id bigint REFERENCES authorities,
	created_by bigint REFERENCES users,
	parent_id bigint REFERENCES wf_instances,
	data jsonb NOT NULL DEFAULT '{}',
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	FOREIGN KEY (definition, version) REFERENCES wf_definitions (name, version)
);
CREATE INDEX wf_instances_state ON wf_instances (definition, state);
CREATE INDEX wf_instances_authority ON wf_instances (authority_id);

-- Parties held as data (requester, responder, recipients, the allocated user, ...):
-- user_id NULL means every user of the authority.
CREATE TABLE wf_parties (
	instance_id bigint NOT NULL REFERENCES wf_instances ON DELETE CASCADE,
	party text NOT NULL,
	authority_id bigint NOT NULL REFERENCES authorities,
	user_id bigint REFERENCES users
);
CREATE INDEX wf_parties_instance ON wf_parties (instance_id, party);

-- One row per transition, never updated or deleted.
CREATE TABLE wf_history (
	id bigserial PRIMARY KEY,
	instance_id bigint NOT NULL REFERENCES wf_instances,
	seq integer NOT NULL,
	event text NOT NULL,
	from_state text,
	to_state text NOT NULL,
	actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'mail', 'system')),
	actor_user_id bigint REFERENCES users,
	actor_authority_id bigint REFERENCES authorities,
	inputs jsonb NOT NULL DEFAULT '{}',
	at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (instance_id, seq)
);

CREATE FUNCTION wf_history_is_append_only() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'wf_history is append-only: % refused', TG_OP
		USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER wf_history_append_only BEFORE UPDATE OR DELETE ON wf_history
	FOR EACH ROW EXECUTE FUNCTION wf_history_is_append_only();
CREATE TRIGGER wf_history_no_truncate BEFORE TRUNCATE ON wf_history
	FOR EACH STATEMENT EXECUTE FUNCTION wf_history_is_append_only();

-- A timer belongs to the state it was started for and dies when the instance leaves it.
CREATE TABLE wf_timers (
	id bigserial PRIMARY KEY,
	instance_id bigint NOT NULL REFERENCES wf_instances,
	name text NOT NULL,
	event text NOT NULL,
	state text NOT NULL,
	due_at timestamptz NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	fired_at timestamptz,
	cancelled_at timestamptz
);
CREATE INDEX wf_timers_due ON wf_timers (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX wf_timers_instance ON wf_timers (instance_id) WHERE fired_at IS NULL AND cancelled_at IS NULL;
