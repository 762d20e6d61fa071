-- 034_timer_claim.sql — the due timers' index serves the claim, and only queries by due time.
--
-- The worker claims due timers in due order, 64 at a time (engine/wf/engine.c q_due).  The
-- partial index held the due time only, so "ORDER BY due_at, id LIMIT 64" sorted every due
-- timer for every batch; with the id in the index the claim walks it in order and stops.
--
-- Its predicate was the same as wf_timers_instance's, so a statement that asks for the live
-- timers of one instance (a transition cancelling its state's timers) could be planned as a
-- walk of every due timer, filtered by instance: the planner cannot tell the two apart when
-- its statistics say that almost no timer is live, which is true until a burst makes many due
-- at once (bench/all's 10,000: 5 ms a transition, auto_explain).  "due_at IS NOT NULL" (always
-- true, the column is NOT NULL) is implied by a comparison with due_at and by min(due_at), so
-- the claim and the worker's next wake-up still use this index, and a statement that does not
-- mention due_at cannot.
DROP INDEX wf_timers_due;
CREATE INDEX wf_timers_due ON wf_timers (due_at, id)
	WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at IS NOT NULL;
