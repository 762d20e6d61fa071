-- 030_option_sources.sql — what IMI's option source module-keywords returns (engine/imi/
-- imi_register.c, the registry's option sources: engine/wf/registry.h): the module catalogue's
-- keywords as the options of a choice (a register entry's "professions or activities covered",
-- issue 15 §1), so the catalogue (workflows/modules.xml, loaded by `imiflow deploy`) is the one
-- list and no definition repeats it.

-- A keyword's value in a form: lower case, every run of other characters one '-'.  Stable as
-- long as the keyword's English wording is ("Real estate agents" -> real-estate-agents), which
-- is also its catalogue key; at most 64 characters, the option value rule.
CREATE FUNCTION keyword_slug(k text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT left(trim(both '-' from regexp_replace(lower(k), '[^a-z0-9]+', '-', 'g')), 64)
$$;

-- The keywords of the request and register modules (those classify authorities by the
-- professions and activities they deal with; a notification's or alert's keywords are kinds of
-- notice) and of module p_module itself, grouped by the module's legal area: (value, label,
-- group).  A keyword several modules list is offered once, under the legal area of the first
-- module listing it (catalogue order); groups come in the order of their first module.
CREATE FUNCTION module_keyword_options(p_module text)
	RETURNS TABLE (value text, label text, grp text) LANGUAGE sql STABLE AS $$
	WITH k AS (
		SELECT keyword_slug(kw.keyword) AS value, kw.keyword AS label, m.legal_area AS grp,
		       m.position, kw.n, m.code
		  FROM modules m, unnest(m.keywords) WITH ORDINALITY kw(keyword, n)
		 WHERE m.kind IN ('request', 'register') OR m.code = p_module
	), firsts AS (
		SELECT DISTINCT ON (value) value, label, grp, position, n FROM k
		 WHERE value <> '' ORDER BY value, position, code, n
	)
	SELECT f.value, f.label, f.grp FROM firsts f
	 ORDER BY min(f.position) OVER (PARTITION BY f.grp), f.grp, f.position, f.n
$$;
