-- 029_timer_wakeup.sql — the worker sleeps until the next due timer (or mail retry) instead of
-- waking every second; whatever moves that moment earlier wakes it: a timer written, or the
-- business clock moved (tests move it instead of the calendar).  NOTIFY is delivered at
-- commit and folded into one per transaction and channel, so a transition that starts several
-- timers, or a batch of 10,000, costs one.
CREATE FUNCTION wf_timers_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('imiflow_timers', '');
	RETURN NULL;
END
$$;

CREATE TRIGGER wf_timers_written AFTER INSERT ON wf_timers
	FOR EACH STATEMENT EXECUTE FUNCTION wf_timers_notify();
CREATE TRIGGER clock_moved AFTER UPDATE ON clock
	FOR EACH STATEMENT EXECUTE FUNCTION wf_timers_notify();
