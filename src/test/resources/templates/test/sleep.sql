-- Three numbered rows after sleeping in PostgreSQL, for tests of timeouts
--
-- @param seconds numeric = 0 range 0..60 -- how long PostgreSQL sleeps before the first row
-- @sort n
-- @key n
SELECT n, pg_sleep((:seconds::numeric)::float8) IS NULL AS slept
FROM generate_series(1, 3) AS n
