-- As many rows of 100 characters as a request asks, with its tag, kept for 5 minutes: for tests of the cache's bounds
--
-- @param tag text -- any text, echoed
-- @param rows int = 10 range 1..100000
-- @sort n
-- @key n
-- @cache 5m
SELECT n, :tag::text AS tag, repeat('x', 100) AS filler
FROM generate_series(1, :rows) AS n
