-- 020_country_language.sql — the language a new user gets when nobody chose one: their
-- authority's country's.  Only languages we have catalogues for (xslt/i18n/): English,
-- Danish, Dutch, Romanian; a country whose language we lack gets English.  Belgium speaks
-- Dutch, French and German; of those we have Dutch only, so Belgium gets Dutch.

ALTER TABLE countries ADD COLUMN language text NOT NULL DEFAULT 'en'
	CHECK (language IN ('en', 'da', 'nl', 'ro'));
UPDATE countries SET language = 'da' WHERE code = 'DK';
UPDATE countries SET language = 'nl' WHERE code IN ('NL', 'BE');
UPDATE countries SET language = 'ro' WHERE code = 'RO';

-- The default language of a user of authority $1 ('en' for an unknown authority).
CREATE FUNCTION authority_language(bigint) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT c.language FROM authorities a JOIN countries c ON c.code = a.country
	                  WHERE a.id = $1), 'en')
$$;
