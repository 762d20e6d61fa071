-- 023_case_search.sql — what the case pages (engine/pages/page_case*.c) ask of the deployed
-- definitions in SQL, and the indexes their lists need.
--
-- A case is an instance of a definition with a <form>.  Which definitions are cases, which of
-- their form fields are summary fields (the only ones a search reads), and which transitions
-- are tasks (task="true", with the roles their <allow>s name) is written in each definition's
-- XML; reading it per page would parse every definition on every request.  So it is read once,
-- when a version is deployed (a trigger on wf_definitions, which is insert-only), into
-- case_definitions and case_tasks, and the pages join those.  Nothing here knows any
-- particular workflow: a definition is a case by its <form>, whatever its module.

CREATE TABLE case_definitions (
	name text NOT NULL,
	version integer NOT NULL,
	module text NOT NULL DEFAULT '',
	summary text[] NOT NULL DEFAULT '{}',     -- the <field summary="true"> names
	PRIMARY KEY (name, version),
	FOREIGN KEY (name, version) REFERENCES wf_definitions (name, version)
);
CREATE INDEX case_definitions_module ON case_definitions (module);

-- One row per task transition and allowed role ('' : an <allow> without a role).
CREATE TABLE case_tasks (
	name text NOT NULL,
	version integer NOT NULL,
	state text NOT NULL,
	event text NOT NULL,
	role text NOT NULL DEFAULT '',
	FOREIGN KEY (name, version) REFERENCES case_definitions (name, version)
);
CREATE INDEX case_tasks_definition ON case_tasks (name, version, state);

CREATE FUNCTION case_definition_read(p_name text, p_version integer, p_content text)
	RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	doc xml;
BEGIN
	-- Deploy stores only definitions that passed lint, so the content is well-formed; the
	-- XML declaration (an encoding) is what PostgreSQL's parser refuses in a text, so it goes.
	doc := XMLPARSE(DOCUMENT regexp_replace(p_content, '^\s*<\?xml[^>]*\?>', ''));
	IF NOT xpath_exists('/w:workflow/w:form', doc,
	    ARRAY[ARRAY['w', 'urn:imiflow:workflow:1']]) THEN
		RETURN;
	END IF;
	INSERT INTO case_definitions (name, version, module, summary)
	SELECT p_name, p_version,
	       coalesce((xpath('/w:workflow/@module', doc,
	           ARRAY[ARRAY['w', 'urn:imiflow:workflow:1']]))[1]::text, ''),
	       coalesce((SELECT array_agg(x::text) FROM unnest(xpath(
	           '/w:workflow/w:form/w:field[@summary="true"]/@name', doc,
	           ARRAY[ARRAY['w', 'urn:imiflow:workflow:1']])) x), '{}')
	ON CONFLICT DO NOTHING;
	INSERT INTO case_tasks (name, version, state, event, role)
	SELECT DISTINCT p_name, p_version, t.state, t.event, coalesce(t.role, '')
	  FROM XMLTABLE(XMLNAMESPACES('urn:imiflow:workflow:1' AS w),
	       '/w:workflow/w:state/w:transition[@task="true"]/w:allow' PASSING doc
	       COLUMNS state text PATH '../../@name', event text PATH '../@event',
	               role text PATH '@role') t;
END $$;

CREATE FUNCTION case_definition_deployed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM case_definition_read(NEW.name, NEW.version, NEW.content);
	RETURN NEW;
END $$;
CREATE TRIGGER case_definition_deployed AFTER INSERT ON wf_definitions
	FOR EACH ROW EXECUTE FUNCTION case_definition_deployed();

SELECT case_definition_read(name, version, content) FROM wf_definitions;

-- Search → newest first, 50 a page by keyset (id below the last one shown), per module.
CREATE INDEX wf_instances_module_id ON wf_instances (module, id);
-- The latest form version of a case (the search's summary fields): the primary key
-- (instance_id, version) serves it; comments page by (instance_id, id), history by
-- (instance_id, seq): both are indexed by their owners' migrations.
