-- Returned item reporting (TPC-H Q10)
--
-- The 20 customers who cost the most revenue through returned parts on orders placed in a quarter,
-- with their contact details.
--
-- @param date date = 1993-10-01 range 1993-02-01..1995-01-01 -- first day of the quarter (first day of a month)
-- @sort c_custkey, c_name, revenue, c_acctbal, n_name
-- @key c_custkey
-- @order -revenue
SELECT
    c_custkey,
    c_name,
    sum(l_extendedprice * (1 - l_discount)) AS revenue,
    c_acctbal,
    n_name,
    c_address,
    c_phone,
    c_comment
FROM customer
JOIN orders   ON o_custkey = c_custkey
JOIN lineitem ON l_orderkey = o_orderkey
JOIN nation   ON n_nationkey = c_nationkey
WHERE o_orderdate >= :date::date
  AND o_orderdate < :date::date + interval '3 months'
  AND l_returnflag = 'R'
GROUP BY c_custkey, c_name, c_acctbal, c_phone, n_name, c_address, c_comment
ORDER BY revenue DESC
LIMIT 20
