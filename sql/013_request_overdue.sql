-- 013_request_overdue.sql — when an information request is overdue, in one place for every
-- list (Requests → Search and its filter, My tasks): its reply is still awaited (sent and not
-- yet answered) and the agreed date, or the date asked before acceptance, has passed.  An
-- answered, refused, referred or closed request, a draft, or one awaiting approval before
-- sending, is not late however old its date.
CREATE FUNCTION request_overdue(p_state text, p_due date) RETURNS boolean
	LANGUAGE sql STABLE AS $$
	SELECT p_due < imi_now()::date
	   AND p_state IN ('sent', 'accepted', 'awaiting-information', 'answer-awaiting-approval')
$$;
