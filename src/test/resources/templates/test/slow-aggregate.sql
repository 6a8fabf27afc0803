-- One row that takes ten sleeps to aggregate: nothing reaches the client until it is done
--
-- @param seconds numeric = 1 range 0..60 -- the length of each of the ten sleeps
SELECT sum(n) AS total
FROM generate_series(1, 10) AS n
WHERE pg_sleep((:seconds::numeric)::float8) IS NOT NULL  -- evaluated for every row
