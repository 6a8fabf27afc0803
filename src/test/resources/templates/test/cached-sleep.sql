-- Three numbered rows and the tag a request gives, after sleeping in PostgreSQL, kept for 30 s: for tests of the cache
--
-- The tag makes a test's requests its own, and lets the statement log tell its executions apart.
--
-- @param tag text -- any text, echoed
-- @param seconds numeric = 0 range 0..5 -- how long PostgreSQL sleeps before the first row
-- @sort n
-- @key n
-- @cache 30s
SELECT n, :tag::text AS tag, pg_sleep((:seconds::numeric)::float8) IS NULL AS slept
FROM generate_series(1, 3) AS n
