-- Three numbered rows and the tag a request gives, after sleeping in PostgreSQL, never kept: for tests of shared executions
--
-- @param tag text -- any text, echoed
-- @param seconds numeric = 0 range 0..5 -- how long PostgreSQL sleeps before the first row
-- @param divisor int = 1 -- 0 fails every row with division by zero, after the sleep
-- @cache off
SELECT n, :tag::text AS tag, pg_sleep((:seconds::numeric)::float8) IS NULL AS slept, n / (:divisor + n - n) AS quotient
FROM generate_series(1, 3) AS n
