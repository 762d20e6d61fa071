-- 003_mail_links.sql — approval links in mail: one random token per recipient and
-- transition, stored hashed, bound to the user, the instance, the event and the state
-- (and revision) it was issued in; it expires and is used at most once.
CREATE TABLE wf_links (
	id bigserial PRIMARY KEY,
	token_hash text NOT NULL UNIQUE,
	user_id bigint NOT NULL REFERENCES users,
	instance_id bigint NOT NULL REFERENCES wf_instances,
	event text NOT NULL,
	state text NOT NULL,
	rev integer NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	used_at timestamptz
);
CREATE INDEX wf_links_instance ON wf_links (instance_id);
