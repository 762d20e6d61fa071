-- 031_outbox_wakeup.sql — the worker sleeps until something is due (029); a mail written by
-- any statement wakes it, not only the engine's own enqueue (which notifies as well: NOTIFY
-- is folded into one per transaction and channel, so this costs nothing there).  An operator
-- who puts a row in by hand, or another program, is served at once.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('imiflow_outbox', '');
	RETURN NULL;
END
$$;

CREATE TRIGGER outbox_written AFTER INSERT ON outbox
	FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
