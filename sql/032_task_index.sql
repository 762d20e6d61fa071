-- 032_task_index.sql — My tasks and /workflows read what they show, not every instance.
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

-- /workflows walks the newest instances of the user's authority, and for the helpdesk the newest
-- that are not requests, each by an index in id order that stops at 50 visible rows
-- (page_instance.c q_instances; it read every instance with its visibility check).  Both on
-- columns a transition never changes.
DROP INDEX wf_instances_authority;
CREATE INDEX wf_instances_authority_id ON wf_instances (authority_id, id);
CREATE INDEX wf_instances_not_request ON wf_instances (id) WHERE seen_by IS DISTINCT FROM 'request';

ANALYZE wf_instances;
ANALYZE case_tasks;
