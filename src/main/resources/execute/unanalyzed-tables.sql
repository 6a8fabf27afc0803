-- Which of the tables named $1 (those a plan reads) have no planner statistics: never analyzed nor
-- vacuumed (reltuples is -1 since PostgreSQL 14), or holding rows without a single column's statistics
-- (vacuumed, never analyzed). Only the named ones: pg_stats over every table took 100 ms and more.
-- The planner guesses the size of such a table from its pages, or assumes ten pages when it has none
-- yet, so a plan that reads one can look cheap whatever it costs. Partitioned parents are left out: a
-- plan reads their partitions, which are listed themselves.
SELECT c.relname
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname = ANY($1::text[])
  AND c.relkind IN ('r', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND (c.reltuples < 0
       OR (c.reltuples > 0 AND NOT EXISTS (SELECT 1 FROM pg_stats s WHERE s.schemaname = n.nspname AND s.tablename = c.relname)))
