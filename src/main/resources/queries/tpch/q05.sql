-- Local supplier volume (TPC-H Q5)
--
-- Revenue per nation of a region over a year from sales where the customer and the supplier
-- are in the same nation, to decide where local distribution centres pay off.
--
-- @param region text = ASIA in AFRICA|AMERICA|ASIA|EUROPE|'MIDDLE EAST' -- region of the nations
-- @param date date = 1994-01-01 range 1993-01-01..1997-01-01 -- first day of the year (January 1)
-- @sort n_name, revenue
-- @key n_name
-- @order -revenue
SELECT
    n_name,
    sum(l_extendedprice * (1 - l_discount)) AS revenue
FROM customer
JOIN orders   ON o_custkey = c_custkey
JOIN lineitem ON l_orderkey = o_orderkey
JOIN supplier ON s_suppkey = l_suppkey AND s_nationkey = c_nationkey
JOIN nation   ON n_nationkey = s_nationkey
JOIN region   ON r_regionkey = n_regionkey
WHERE r_name = :region
  AND o_orderdate >= :date::date
  AND o_orderdate < :date::date + interval '1 year'
GROUP BY n_name
ORDER BY revenue DESC
