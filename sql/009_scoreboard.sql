-- 009_scoreboard.sql — the facts of each information request, read from its
-- history (never from counters), for the scoreboard: when it was sent,
-- accepted and answered, the agreed date, and the requester's ratings.

CREATE VIEW request_facts AS
SELECT r.id, r.module, r.requester_id, ra.country AS requester_country,
       r.responder_id, rb.country AS responder_country, r.agreed_date,
       (SELECT min(h.at) FROM wf_history h WHERE h.instance_id = r.instance_id
           AND h.to_state = 'sent' AND h.from_state IN ('draft', 'awaiting-approval')) AS sent_at,
       (SELECT min(h.at) FROM wf_history h WHERE h.instance_id = r.instance_id
           AND h.event = 'accept') AS accepted_at,
       (SELECT min(h.at) FROM wf_history h WHERE h.instance_id = r.instance_id
           AND h.to_state = 'answered') AS answered_at,
       i.data->>'timeliness' AS timeliness, i.data->>'effort' AS effort
  FROM requests r JOIN wf_instances i ON i.id = r.instance_id
  JOIN authorities ra ON ra.id = r.requester_id JOIN authorities rb ON rb.id = r.responder_id;

-- One scoreboard line per authority (by = 'authority') or country (by = 'country') of a module:
-- sent and received requests; % of received ones accepted within 7 days (of those accepted, or
-- sent 7 days ago or more); average days from sending to the answer; % answered by the agreed
-- date; % negative ratings (timeliness and effort counted separately).
CREATE FUNCTION scoreboard(p_module text, p_by text) RETURNS TABLE (
	key text, label text, sent bigint, received bigint, accepted_in_time numeric,
	days_to_answer numeric, answered_in_time numeric, negative_ratings numeric)
	LANGUAGE sql STABLE AS $$
	WITH f AS (SELECT * FROM request_facts WHERE module = p_module AND sent_at IS NOT NULL),
	keys AS (
		SELECT CASE WHEN p_by = 'country' THEN requester_country ELSE requester_id::text END AS k,
		       'sent' AS side, f.* FROM f
		UNION ALL
		SELECT CASE WHEN p_by = 'country' THEN responder_country ELSE responder_id::text END,
		       'received', f.* FROM f)
	SELECT k,
	       CASE WHEN p_by = 'country' THEN (SELECT name FROM countries WHERE code = k)
	            ELSE (SELECT official_name || ' (' || country || ')' FROM authorities WHERE id::text = k) END,
	       count(*) FILTER (WHERE side = 'sent'),
	       count(*) FILTER (WHERE side = 'received'),
	       round(100.0 * count(*) FILTER (WHERE side = 'received'
	                 AND accepted_at <= sent_at + interval '7 days')
	             / nullif(count(*) FILTER (WHERE side = 'received' AND (accepted_at IS NOT NULL
	                 OR sent_at <= imi_now() - interval '7 days')), 0), 1),
	       round(avg(extract(epoch FROM answered_at - sent_at) / 86400)
	             FILTER (WHERE side = 'received' AND answered_at IS NOT NULL), 1),
	       round(100.0 * count(*) FILTER (WHERE side = 'received' AND answered_at IS NOT NULL
	                 AND answered_at::date <= agreed_date)
	             / nullif(count(*) FILTER (WHERE side = 'received' AND answered_at IS NOT NULL), 0), 1),
	       round(100.0 * (count(*) FILTER (WHERE side = 'received' AND timeliness = 'not-satisfied')
	                    + count(*) FILTER (WHERE side = 'received' AND effort = 'not-satisfied'))
	             / nullif(count(*) FILTER (WHERE side = 'received' AND timeliness IS NOT NULL)
	                    + count(*) FILTER (WHERE side = 'received' AND effort IS NOT NULL), 0), 1)
	  FROM keys GROUP BY k ORDER BY 2
$$;
