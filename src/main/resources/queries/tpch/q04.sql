-- Order priority checking (TPC-H Q4)
--
-- How well the order priority system works: per priority, how many orders placed in a quarter
-- had at least one line item received later than its committed date.
--
-- @param date date = 1993-07-01 range 1993-01-01..1997-10-01 -- first day of the quarter (first day of a month)
-- @sort o_orderpriority, order_count
-- @key o_orderpriority
-- @order o_orderpriority
SELECT
    o_orderpriority,
    count(*) AS order_count
FROM orders
WHERE o_orderdate >= :date::date
  AND o_orderdate < :date::date + interval '3 months'
  AND EXISTS (
        SELECT *
        FROM lineitem
        WHERE l_orderkey = o_orderkey
          AND l_commitdate < l_receiptdate
      )
GROUP BY o_orderpriority
ORDER BY o_orderpriority
