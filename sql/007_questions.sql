-- 007_questions.sql — question sets (workflows/questions/MODULE.xml): the
-- pre-translated questions an information request of a request module may
-- ask.  `imiflow deploy` stores each file (questions.c): the file as it was
-- deployed, and one row per question with its labels in every language.
-- Applied after 008–010 in a database that already has them: nothing there
-- depends on these tables (requests refer to questions by code only).

CREATE TABLE question_sets (
	module text PRIMARY KEY REFERENCES modules,
	content text NOT NULL,
	sha256 text NOT NULL,
	deployed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE questions (
	module text NOT NULL REFERENCES question_sets ON DELETE CASCADE,
	code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9-]{0,62}$'),
	group_code text NOT NULL CHECK (group_code ~ '^[a-z][a-z0-9-]{0,62}$'),
	position integer NOT NULL,                       -- 1, 2, … in the file's order
	type text NOT NULL CHECK (type IN ('yesno', 'text', 'date', 'number', 'choice')),
	labels jsonb NOT NULL,                           -- {"en": "…", "da": "…", "nl": "…", "ro": "…"}
	options jsonb NOT NULL DEFAULT '[]',             -- [{"value": "…", "labels": {"en": "…", …}}, …]
	PRIMARY KEY (module, code)
);
