-- Large volume customer (TPC-H Q18)
--
-- The top 100 orders whose total quantity is above a level, with their customer,
-- largest order value first.
--
-- @param quantity int = 300 range 300..315 -- total quantity an order must exceed
-- @sort c_name, c_custkey, o_orderkey, o_orderdate, o_totalprice, sum_qty
-- @key o_orderkey
-- @order -o_totalprice, o_orderdate
-- @timeout 60s
SELECT
    c_name,
    c_custkey,
    o_orderkey,
    o_orderdate,
    o_totalprice,
    sum(l_quantity) AS sum_qty
FROM customer
JOIN orders   ON o_custkey = c_custkey
JOIN lineitem ON l_orderkey = o_orderkey
WHERE o_orderkey IN (
        SELECT l_orderkey
        FROM lineitem
        GROUP BY l_orderkey
        HAVING sum(l_quantity) > :quantity::int
      )
GROUP BY c_name, c_custkey, o_orderkey, o_orderdate, o_totalprice
ORDER BY o_totalprice DESC, o_orderdate
LIMIT 100
