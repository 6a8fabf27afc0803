-- One row after sleeping in PostgreSQL, without a budget: for tests of quotas
--
-- @param seconds numeric = 0 range 0..60 -- how long PostgreSQL sleeps
-- @budget off
SELECT pg_sleep((:seconds::numeric)::float8) IS NULL AS slept
