-- A numbered row per integer up to a bound, with a text and a decimal column, for stream tests
--
-- @param rows int = 2000 range 0..10000000
-- @sort n
-- @key n
SELECT n, 'row ' || n AS label, n * 1.25 AS amount
FROM generate_series(1, :rows) AS n
ORDER BY n
