-- Numbered rows within a budget of plan cost: for the explorer's estimate before a run
--
-- Planned for each run's values, so that PostgreSQL estimates the series from its bound.
--
-- @param rows int = 10 range 1..10000000 -- how many rows
-- @sort n
-- @key n
-- @plan custom
-- @budget cost 1000
SELECT n FROM generate_series(1, :rows) AS n
