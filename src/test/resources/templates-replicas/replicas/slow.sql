-- Three numbered rows with an exact share and the tag a request gives, after sleeping in PostgreSQL, kept for 5 minutes:
-- for the test of replicas sharing one Redis
--
-- The tag makes a test's requests an answer of their own, and lets the statement log tell its executions apart.
--
-- @param tag text -- any text, echoed
-- @param seconds numeric = 0 range 0..5 -- how long PostgreSQL sleeps before the first row
-- @sort n
-- @key n
-- @cache 5m
SELECT n, n / 8.0 AS share, :tag::text AS tag, pg_sleep((:seconds::numeric)::float8) IS NOT NULL AS slept_for_replicas
FROM generate_series(1, 3) AS n
