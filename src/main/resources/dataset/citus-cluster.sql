-- The coordinator's view of its workers before a load: one row per primary worker that can hold
-- shards, with what the load needs to know of it. A worker that cannot be reached has extension
-- NULL and its error in problem.

SELECT node.nodename || ':' || node.nodeport AS node,
       current_database() AS database,
       CASE WHEN probe.success THEN probe.result END AS citus_extensions,
       CASE WHEN NOT probe.success THEN probe.result END AS problem
FROM pg_dist_node AS node
JOIN run_command_on_workers($$SELECT count(*) FROM pg_extension WHERE extname = 'citus'$$) AS probe
  ON probe.nodename = node.nodename AND probe.nodeport = node.nodeport
WHERE node.noderole = 'primary'
  AND node.groupid <> 0
  AND node.isactive
  AND node.shouldhaveshards
ORDER BY node.nodename, node.nodeport
