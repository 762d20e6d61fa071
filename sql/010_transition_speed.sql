-- 010_transition_speed.sql — two functions the engine calls on every request, made cheap.
--
-- imi_now() keeps its meaning (now() plus the clock's offset, read from the table on every
-- call so a moved clock counts at once on every connection) but moves from SQL to PL/pgSQL.
-- A SQL function whose body reads a table cannot be inlined, and PostgreSQL then parses and
-- plans that body again for every statement that calls it: about 35 µs a call site, a sixth
-- of the database's time in a workflow transition.  PL/pgSQL keeps the plan of its SELECT
-- for the life of the connection.
CREATE OR REPLACE FUNCTION imi_now() RETURNS timestamptz
	LANGUAGE plpgsql STABLE
	AS $$
DECLARE
	o interval;
BEGIN
	SELECT offset_interval INTO o FROM clock;
	RETURN now() + o;
END $$;

-- wf_guard_refused() raises SQLSTATE IM403: the guard of a transition refuses the actor.
-- The engine sends a transition's guard, its writes and the COMMIT in one round trip; the
-- guard's statement calls this when the guard does not hold, which aborts the transaction
-- there, before anything is written, and the engine answers 403.
CREATE FUNCTION wf_guard_refused() RETURNS boolean
	LANGUAGE plpgsql VOLATILE
	AS $$
BEGIN
	RAISE EXCEPTION 'the guard of the transition refuses this actor' USING ERRCODE = 'IM403';
END $$;
