-- 032_task_index.sql — My tasks reads the open cases of the user's side, not every case.
--
-- My tasks asks, for requests, which of the requests of the user's authority (as requester,
-- responder or coordinated party) are in a state with a task, and for cases built from
-- definitions, which instances are in a state that case_tasks names.  Both now start from
-- this index (engine/pages/page_request.c q_tasks, page_case_tasks.c q_candidates): with
-- 100,000 requests My tasks read every request with its visibility check (2.4-3.9 s, more
-- with JIT); from the index it reads the few open ones (bench/README.md, "My tasks").
--
-- The price: a transition that changes the state is no longer a HOT update (014); measured
-- in bench/README.md beside the figures above.
CREATE INDEX wf_instances_state ON wf_instances (state, definition, version);
ANALYZE wf_instances;
ANALYZE case_tasks;
