-- 014_instances_hot.sql — a transition's update of wf_instances becomes a HOT update.
--
-- A transition sets state, rev, data and updated_at.  The index on (definition, state) made
-- every such update write a new entry into all three indexes of the table (PostgreSQL can
-- update in place, "HOT", only when no indexed column changes and the page has room).  The
-- counts per state of one definition need no index on state: they read that definition's
-- rows, found through an index on definition alone, and count them by state.  Room on the
-- page: a fifth of each page stays free for the new versions of its rows.
DROP INDEX wf_instances_state;
CREATE INDEX wf_instances_definition ON wf_instances (definition);
ALTER TABLE wf_instances SET (fillfactor = 80);
