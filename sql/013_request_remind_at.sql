-- 013_request_remind_at.sql — every request's instance knows when to remind of the
-- reply date ("remind-at", two days before it; the accept transition's reply-reminder timer
-- starts from it).  The pages wrote it only for a request drafted there, so a request split
-- off another one had none, and its reminder went out the moment it was accepted.
CREATE FUNCTION request_remind_at() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	UPDATE wf_instances SET data = data || jsonb_build_object('remind-at',
	       to_char(NEW.reply_date - 2, 'YYYY-MM-DD'))
	 WHERE id = NEW.instance_id;
	RETURN NULL;
END $$;
CREATE TRIGGER requests_remind_at AFTER INSERT ON requests
	FOR EACH ROW EXECUTE FUNCTION request_remind_at();
