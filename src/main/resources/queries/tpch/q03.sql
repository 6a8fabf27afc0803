-- Shipping priority (TPC-H Q3)
--
-- The ten unshipped orders of a market segment with the highest revenue still to come:
-- orders placed before a date with line items shipped after it.
--
-- @param segment text = BUILDING in AUTOMOBILE|BUILDING|FURNITURE|HOUSEHOLD|MACHINERY -- customer market segment
-- @param date date = 1995-03-15 range 1995-03-01..1995-03-31 -- orders placed before, line items shipped after this day
-- @sort l_orderkey, revenue, o_orderdate, o_shippriority
-- @key l_orderkey
-- @order -revenue, o_orderdate
SELECT
    l_orderkey,
    sum(l_extendedprice * (1 - l_discount)) AS revenue,
    o_orderdate,
    o_shippriority
FROM customer
JOIN orders   ON o_custkey = c_custkey
JOIN lineitem ON l_orderkey = o_orderkey
WHERE c_mktsegment = :segment
  AND o_orderdate < :date::date
  AND l_shipdate > :date::date
GROUP BY l_orderkey, o_orderdate, o_shippriority
ORDER BY revenue DESC, o_orderdate
LIMIT 10
