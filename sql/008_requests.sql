-- 008_requests.sql — information requests (workflows/information-request.xml):
-- who asks whom about whom, the chosen questions and their answers.  The
-- state is the instance's; the holders over time are its history (forward).
-- Personal data (the person or business concerned) sits in its own columns
-- so that retention can block and delete it and keep the rest.

CREATE TABLE requests (
	id bigserial PRIMARY KEY,
	instance_id bigint NOT NULL UNIQUE REFERENCES wf_instances,
	module text NOT NULL REFERENCES modules,
	requester_id bigint NOT NULL REFERENCES authorities,
	responder_id bigint NOT NULL REFERENCES authorities,
	parent_id bigint REFERENCES requests,           -- split: the request this one came from
	subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
	context text NOT NULL DEFAULT '' CHECK (length(context) <= 10000),
	-- personal data: the person or business concerned
	person_name text CHECK (length(person_name) <= 300),
	person_birth_date date,
	person_nationality char(2) REFERENCES countries,
	person_registration text CHECK (length(person_registration) <= 100),
	reply_date date NOT NULL,                        -- asked by the requester
	agreed_date date,                                -- set on acceptance (the asked one or a proposed one)
	allocated_user_id bigint REFERENCES users,
	closed_at timestamptz,
	personal_data_blocked_at timestamptz,
	personal_data_deleted_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT imi_now()
);
CREATE INDEX requests_requester ON requests (requester_id);
CREATE INDEX requests_responder ON requests (responder_id);

CREATE TABLE request_questions (
	request_id bigint NOT NULL REFERENCES requests ON DELETE CASCADE,
	code text NOT NULL,
	position integer NOT NULL,
	answer text CHECK (length(answer) <= 10000),
	answered_by bigint REFERENCES users,
	answered_at timestamptz,
	PRIMARY KEY (request_id, code)
);

-- Who reads a request's personal data after it was blocked, and why (art. 14).
CREATE TABLE request_disclosures (
	id bigserial PRIMARY KEY,
	request_id bigint NOT NULL REFERENCES requests,
	user_id bigint NOT NULL REFERENCES users,
	justification text NOT NULL CHECK (length(justification) BETWEEN 10 AND 2000),
	at timestamptz NOT NULL DEFAULT imi_now()
);

-- The access of an authority to a module, for the request conditions.
CREATE FUNCTION module_access(p_authority bigint, p_module text) RETURNS module_accesses
	LANGUAGE sql STABLE AS $$
	SELECT * FROM module_accesses WHERE authority_id = p_authority AND module = p_module
$$;
