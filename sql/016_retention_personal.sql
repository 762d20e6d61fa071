-- 016_retention_personal.sql — retention covers every personal datum of an
-- information request (Regulation 1024/2012 art. 14): besides the person
-- concerned and the documents, the answers to questions a question set marks
-- personal="true", the subject and context unless the author ticked that they
-- name nobody, and the free texts typed along the way (comments, reasons,
-- information; the names of files).  Blocking hides them from every page,
-- list and export; deletion removes them, also from the history's inputs, the
-- instance's data and the mails of the request kept in the outbox.

ALTER TABLE questions ADD COLUMN personal boolean NOT NULL DEFAULT false;

-- Ticked by the author on the draft's form: the subject and context name nobody.
ALTER TABLE requests ADD COLUMN no_personal_texts boolean NOT NULL DEFAULT false;

-- Deletion empties a subject that is personal data.
ALTER TABLE requests DROP CONSTRAINT requests_subject_check;
ALTER TABLE requests ADD CONSTRAINT requests_subject_check CHECK (length(subject) <= 300
	AND (length(subject) >= 1 OR personal_data_deleted_at IS NOT NULL));

-- The instance a mail is about (<mail instance="…"> of its model, outbox.c),
-- so that retention finds the mails of a request.
ALTER TABLE outbox ADD COLUMN instance_id bigint;
CREATE INDEX outbox_instance ON outbox (instance_id) WHERE instance_id IS NOT NULL;

-- Blocked or deleted: the personal data are out of everyone's sight.
CREATE FUNCTION request_personal_hidden(r requests) RETURNS boolean
	LANGUAGE sql IMMUTABLE AS $$
	SELECT ($1).personal_data_blocked_at IS NOT NULL OR ($1).personal_data_deleted_at IS NOT NULL
$$;

-- The subject and context go with them, unless the author ticked that they name nobody.
CREATE FUNCTION request_texts_hidden(r requests) RETURNS boolean
	LANGUAGE sql IMMUTABLE AS $$
	SELECT request_personal_hidden($1) AND NOT ($1).no_personal_texts
$$;

-- For the generic instance page: the free texts of this instance are hidden.
CREATE FUNCTION personal_data_hidden(p_instance bigint) RETURNS boolean
	LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM requests r WHERE r.instance_id = p_instance
	                AND request_personal_hidden(r))
$$;

-- Every personal text of the request of instance p_instance: p_keys names the
-- free-text inputs and the data fields set from them (the engine reads them
-- from the definition).
CREATE FUNCTION request_personal_texts(p_instance bigint, p_keys text[]) RETURNS SETOF text
	LANGUAGE sql STABLE AS $$
	SELECT t FROM requests r, LATERAL (
		SELECT r.subject WHERE NOT r.no_personal_texts
		UNION ALL SELECT r.context WHERE NOT r.no_personal_texts
		UNION ALL SELECT r.person_name
		UNION ALL SELECT r.person_registration
		UNION ALL SELECT rq.answer FROM request_questions rq
		    LEFT JOIN questions q ON q.module = r.module AND q.code = rq.code
		   WHERE rq.request_id = r.id AND coalesce(q.personal, true)
		     AND coalesce(q.type, 'text') = 'text'
		UNION ALL SELECT e.value FROM wf_history h, jsonb_each_text(h.inputs) e
		   WHERE h.instance_id = r.instance_id AND e.key = ANY (p_keys)
		UNION ALL SELECT e.value FROM wf_instances i, jsonb_each_text(i.data) e
		   WHERE i.id = r.instance_id AND e.key = ANY (p_keys)) x(t)
	 WHERE r.instance_id = p_instance AND coalesce(t, '') <> ''
$$;

-- A mail of the request in the outbox, delivered or still queued, keeps none
-- of them: each is replaced by "***" in its subject and body, the longest
-- first, so a queued mail goes out without them.
CREATE FUNCTION request_scrub_outbox(p_instance bigint, p_keys text[]) RETURNS void
	LANGUAGE plpgsql AS $$
DECLARE
	t text;
BEGIN
	FOR t IN SELECT d.x FROM (SELECT DISTINCT x FROM request_personal_texts(p_instance, p_keys) x) d
	         ORDER BY length(d.x) DESC LOOP
		UPDATE outbox SET subject = replace(subject, t, '***'), body = replace(body, t, '***')
		 WHERE instance_id = p_instance AND (strpos(subject, t) > 0 OR strpos(body, t) > 0);
	END LOOP;
END $$;

-- Retention, six months after closure: hidden from everyone (the pages read
-- request_personal_hidden()), and out of the outbox.
CREATE FUNCTION request_block_personal_data(p_instance bigint, p_keys text[]) RETURNS void
	LANGUAGE plpgsql AS $$
BEGIN
	UPDATE requests SET personal_data_blocked_at = imi_now() WHERE instance_id = p_instance;
	PERFORM request_scrub_outbox(p_instance, p_keys);
END $$;

-- The history is append-only but for this: deleting personal data removes the
-- free-text inputs of a request's history rows (only their inputs, and only
-- inside request_delete_personal_data()).
CREATE OR REPLACE FUNCTION wf_history_is_append_only() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND current_setting('imiflow.retention', true) = 'delete'
	   AND to_jsonb(NEW) - 'inputs' = to_jsonb(OLD) - 'inputs' THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'wf_history is append-only: % refused', TG_OP
		USING ERRCODE = 'insufficient_privilege';
END $$;

-- Retention, three years after closure: the personal data go for good; the
-- request, its dates, the other answers and its history stay.
CREATE FUNCTION request_delete_personal_data(p_instance bigint, p_keys text[]) RETURNS void
	LANGUAGE plpgsql AS $$
BEGIN
	PERFORM request_scrub_outbox(p_instance, p_keys);
	DELETE FROM wf_documents WHERE instance_id = p_instance;
	UPDATE request_questions rq SET answer = NULL
	  FROM requests r
	 WHERE r.instance_id = p_instance AND rq.request_id = r.id AND rq.answer IS NOT NULL
	   AND coalesce((SELECT q.personal FROM questions q
	                  WHERE q.module = r.module AND q.code = rq.code), true);
	UPDATE requests SET person_name = NULL, person_birth_date = NULL, person_nationality = NULL,
	       person_registration = NULL,
	       subject = CASE WHEN no_personal_texts THEN subject ELSE '' END,
	       context = CASE WHEN no_personal_texts THEN context ELSE '' END,
	       personal_data_deleted_at = imi_now()
	 WHERE instance_id = p_instance;
	UPDATE wf_instances SET data = data - p_keys WHERE id = p_instance AND data ?| p_keys;
	PERFORM set_config('imiflow.retention', 'delete', true);
	UPDATE wf_history SET inputs = inputs - p_keys
	 WHERE instance_id = p_instance AND inputs ?| p_keys;
	PERFORM set_config('imiflow.retention', '', true);
END $$;
