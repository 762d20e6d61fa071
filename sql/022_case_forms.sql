-- 022_case_forms.sql — the content of a case (an instance whose definition has a <form>):
-- the versions of its form and its comments.  Generic: any workflow may declare them
-- (workflows/README.md, "Case forms and comments"; engine/wf/caseform.h, comments.h).

-- One row per version of the case's form; the latest is the case now.  A version that is
-- not sealed is a draft its next edit overwrites; once sealed (broadcast) it never changes
-- again and the next edit makes a new version, whose `changed` names the fields that differ
-- from the latest sealed one.  Values live here and nowhere else: the history row of an edit
-- records the version and `changed` only, so a field shown to some parties alone never leaks
-- through the log.  erased_at: <erase-data/> emptied its values (retention).
CREATE TABLE wf_form_versions (
	instance_id bigint NOT NULL REFERENCES wf_instances ON DELETE CASCADE,
	version integer NOT NULL CHECK (version > 0),
	data jsonb NOT NULL DEFAULT '{}',
	sealed boolean NOT NULL DEFAULT false,
	changed text[] NOT NULL DEFAULT '{}',
	seq integer NOT NULL,                 -- the history row of the edit that wrote it last
	by_user bigint REFERENCES users,
	by_authority bigint REFERENCES authorities,
	at timestamptz NOT NULL DEFAULT now(),
	erased_at timestamptz,
	PRIMARY KEY (instance_id, version)
);

-- Comments of any type the definition declares (<comments><type/>): a closure proposal, an
-- objection answering it, additional information...  A withdrawn comment stays, with who
-- withdrew it and why, and so do both history rows; its documents are the wf_documents rows
-- of the same history seq.
CREATE TABLE wf_comments (
	id bigserial PRIMARY KEY,
	instance_id bigint NOT NULL REFERENCES wf_instances ON DELETE CASCADE,
	seq integer NOT NULL,
	type text NOT NULL,
	body text,                            -- NULL once erased
	answers bigint REFERENCES wf_comments,
	by_user bigint REFERENCES users,
	by_authority bigint REFERENCES authorities,
	at timestamptz NOT NULL DEFAULT now(),
	withdrawn_seq integer,
	withdrawn_reason text,
	withdrawn_by bigint REFERENCES users,
	erased_at timestamptz
);
CREATE INDEX wf_comments_instance ON wf_comments (instance_id, id);
