-- Orders above their customer's average
--
-- Orders placed in a period whose total is more than a factor times the average order total of the
-- same customer in that period: each customer's unusually large orders, measured against their own
-- habits rather than everyone's. The average is a window over the customer's orders, computed in a
-- subquery and filtered outside it, so the aggregate and the filter on it fit in one query.
--
-- @param since date = 1996-01-01 range 1992-01-01..1999-01-01 -- first order date counted
-- @param until date = 1997-01-01 range 1992-01-01..1999-01-01 -- first order date no longer counted
-- @param factor numeric = 1.5 range 1..10 -- how many times the customer's average an order must exceed
-- @param min_orders int = 2 range 1..100 -- customers with fewer orders in the period are left out
-- @sort o_orderkey, o_custkey, c_name, o_orderdate, o_totalprice, customer_avg, customer_orders, ratio
-- @key o_orderkey
-- @order o_custkey, o_orderkey
-- @plan custom
SELECT
    o_orderkey,
    o_custkey,
    c_name,
    o_orderdate,
    o_totalprice,
    round(customer_avg, 2)                AS customer_avg,
    customer_orders,
    round(o_totalprice / customer_avg, 4) AS ratio
FROM (
    SELECT
        o_orderkey,
        o_custkey,
        o_orderdate,
        o_totalprice,
        avg(o_totalprice) OVER (PARTITION BY o_custkey) AS customer_avg,
        count(*)          OVER (PARTITION BY o_custkey) AS customer_orders
    FROM orders
    WHERE o_orderdate >= :since::date
      AND o_orderdate <  :until::date
) AS with_average
JOIN customer ON c_custkey = o_custkey
WHERE o_totalprice > :factor::numeric * customer_avg
  AND customer_orders >= :min_orders::int
ORDER BY o_custkey, o_orderkey
