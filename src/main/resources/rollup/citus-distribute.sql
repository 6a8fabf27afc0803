-- A large rollup hash-distributed by the key column (a kept dimension or the time) whose values spread it best: the most distinct values
-- in the statistics ANALYZE just gathered (a negative n_distinct is a share of the rows: the most
-- distinct). Moving the rows from the coordinator to the shards is Citus' own work.
SELECT create_distributed_table(t.relation, s.attname)
FROM (SELECT ?::regclass AS relation) AS t
JOIN pg_class AS c ON c.oid = t.relation
JOIN pg_namespace AS n ON n.oid = c.relnamespace
JOIN LATERAL (
    SELECT attname
    FROM pg_stats
    WHERE schemaname = n.nspname AND tablename = c.relname AND attname = ANY (?)
    ORDER BY CASE WHEN n_distinct < 0 THEN 1e18 * -n_distinct ELSE n_distinct END DESC, attname
    LIMIT 1
) AS s ON true
