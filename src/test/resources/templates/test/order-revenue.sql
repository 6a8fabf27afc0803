-- Revenue per order from its line items, for tests that a filter on a grouping column reaches the index
--
-- @sort l_orderkey, revenue
-- @key l_orderkey
SELECT l_orderkey, sum(l_extendedprice * (1 - l_discount)) AS revenue, count(*) AS lines
FROM lineitem
GROUP BY l_orderkey
