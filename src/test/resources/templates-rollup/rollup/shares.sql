-- Each sale's share of its divisor, for the rollup build tests: a divisor of 0 makes the body fail
--
-- @dimension region: region
-- @measure share: sum(share)
-- @rollup by_region dimensions region
-- @rollup by_region measures share
SELECT region, amount / divisor AS share FROM rollup_sales
