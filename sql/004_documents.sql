-- 004_documents.sql — documents attached to an instance through file inputs, stored in
-- the transaction of the transition that brings them (nothing half-uploaded survives).
CREATE TABLE wf_documents (
	id bigserial PRIMARY KEY,
	instance_id bigint NOT NULL REFERENCES wf_instances,
	seq integer NOT NULL,                 -- the history row of the transition
	input text NOT NULL,
	filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
	content_type text NOT NULL,
	size integer NOT NULL,
	content bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wf_documents_instance ON wf_documents (instance_id);
