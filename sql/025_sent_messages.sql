-- 025_sent_messages.sql — Administration → Send e-mail (issue 15 §2; seed 001 §3.1.3,
-- seed 002 "Improvements to the 'Send e-mail' functionality"): who may reach whom, and the
-- record of every sending.
--
-- The recipients are authorities; a chosen active authority is reached at its contact address
-- and at its Administrators' addresses, one outbox row per address.  Nothing keeps a count on
-- the message row: queued and delivered are counted from the outbox (research §6).

-- Every sending, as it was sent: the sender as the header named them (name, authority,
-- registered address at that moment), the text, and whether "My authorities only" was off.
CREATE TABLE sent_messages (
	id bigserial PRIMARY KEY,
	sender_user_id bigint NOT NULL REFERENCES users,
	sender_authority_id bigint NOT NULL REFERENCES authorities,
	sender_name text NOT NULL,
	sender_email text NOT NULL,
	sender_authority_name text NOT NULL,
	body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
	widened boolean NOT NULL DEFAULT false,
	sent_at timestamptz NOT NULL DEFAULT imi_now()
);
CREATE INDEX sent_messages_authority ON sent_messages (sender_authority_id, id DESC);

-- To which authorities (also those that had no address to write to).
CREATE TABLE sent_message_authorities (
	message_id bigint NOT NULL REFERENCES sent_messages ON DELETE CASCADE,
	authority_id bigint NOT NULL REFERENCES authorities,
	PRIMARY KEY (message_id, authority_id)
);

-- To which addresses: user_id NULL is the authority's contact address.  mail_id is the
-- outbox row's Message-ID (unique there), so delivery is read from the outbox itself.
CREATE TABLE sent_message_recipients (
	message_id bigint NOT NULL REFERENCES sent_messages ON DELETE CASCADE,
	authority_id bigint NOT NULL REFERENCES authorities,
	user_id bigint REFERENCES users,
	email text NOT NULL,
	language text NOT NULL,
	mail_id text NOT NULL UNIQUE
);
CREATE INDEX sent_message_recipients_message ON sent_message_recipients (message_id);

-- The authorities p_sender's Administrators may write to, whatever their state: with
-- p_widen false ("My authorities only": Yes) those it manages (authority_managers, as
-- Administration → Managed authorities); with p_widen true, every authority of its country
-- for a NIMIC and of every country for the helpdesk -- and none for anyone else, who may not
-- switch it off.
CREATE FUNCTION send_email_reachable(p_sender bigint, p_widen boolean)
	RETURNS TABLE (authority_id bigint) LANGUAGE sql STABLE AS $$
	SELECT a.id FROM authorities a, authorities me
	 WHERE me.id = p_sender AND a.deleted_at IS NULL
	   AND CASE WHEN p_widen THEN me.is_helpdesk OR (me.is_nimic AND a.country = me.country)
	            ELSE EXISTS (SELECT 1 FROM authority_managers m
	                          WHERE m.authority_id = a.id AND m.manager_id = me.id) END
$$;

-- The active authorities a sending reaches: reachable, active, and either every one that
-- matches the criteria (p_all; '' matches anything) or those of p_ids.
CREATE FUNCTION send_email_chosen(p_sender bigint, p_widen boolean, p_all boolean,
    p_ids bigint[], p_module text, p_country text, p_type text)
	RETURNS TABLE (authority_id bigint) LANGUAGE sql STABLE AS $$
	SELECT a.id FROM send_email_reachable(p_sender, p_widen) r
	  JOIN authorities a ON a.id = r.authority_id
	  JOIN wf_instances i ON i.id = a.instance_id AND i.state = 'active'
	 WHERE CASE WHEN p_all THEN (p_module = '' OR module_access_active(a.id, p_module))
	                        AND (p_country = '' OR a.country = p_country)
	                        AND (p_type = '' OR a.authority_type = p_type)
	            ELSE a.id = ANY(p_ids) END
$$;

-- The addresses of the chosen authorities, each once (an Administrator whose address is
-- also the contact address gets one mail), with the language the mail is written in: the
-- user's, or the country's for a contact address; 'en' where we have no catalogue.
CREATE FUNCTION send_email_addresses(p_sender bigint, p_widen boolean, p_all boolean,
    p_ids bigint[], p_module text, p_country text, p_type text)
	RETURNS TABLE (authority_id bigint, user_id bigint, email text, language text)
	LANGUAGE sql STABLE AS $$
	SELECT DISTINCT ON (lower(x.email)) x.authority_id, x.user_id, x.email,
	       CASE WHEN x.language IN ('en', 'da', 'nl', 'ro') THEN x.language ELSE 'en' END
	  FROM (SELECT a.id AS authority_id, NULL::bigint AS user_id, a.email, c.language
	          FROM send_email_chosen(p_sender, p_widen, p_all, p_ids, p_module, p_country, p_type) s
	          JOIN authorities a ON a.id = s.authority_id JOIN countries c ON c.code = a.country
	         WHERE coalesce(a.email, '') <> ''
	        UNION ALL
	        SELECT u.authority_id, u.id, u.email, u.language
	          FROM send_email_chosen(p_sender, p_widen, p_all, p_ids, p_module, p_country, p_type) s
	          JOIN users u ON u.authority_id = s.authority_id AND u.deleted_at IS NULL
	          JOIN user_roles r ON r.user_id = u.id AND r.module = '' AND r.role = 'administrator') x
	 ORDER BY lower(x.email), x.user_id NULLS FIRST
$$;
