-- Top customers by revenue
--
-- The customers who brought the most revenue (price net of discount) on orders placed in a period,
-- best first. Revenue is summed per customer and cut to the top N in a subquery; only those N rows
-- are then joined to customer and nation for names (a LEFT JOIN, so a ranked customer is never lost).
--
-- @param since date = 1995-01-01 range 1992-01-01..1999-01-01 -- first order date counted
-- @param until date = 1996-01-01 range 1992-01-01..1999-01-01 -- first order date no longer counted
-- @param top int = 10 range 1..1000 -- how many customers
-- @sort c_custkey, c_name, nation, segment, revenue, orders
-- @key c_custkey
-- @order -revenue, c_custkey
-- @plan custom
SELECT
    ranked.o_custkey AS c_custkey,
    c_name,
    n_name           AS nation,
    c_mktsegment     AS segment,
    ranked.revenue,
    ranked.orders
FROM (
    SELECT
        o_custkey,
        sum(l_extendedprice * (1 - l_discount)) AS revenue,
        count(DISTINCT o_orderkey)              AS orders
    FROM orders
    JOIN lineitem ON l_orderkey = o_orderkey
    WHERE o_orderdate >= :since::date
      AND o_orderdate <  :until::date
    GROUP BY o_custkey
    ORDER BY revenue DESC, o_custkey
    LIMIT :top::int
) AS ranked
LEFT JOIN customer ON c_custkey = ranked.o_custkey
LEFT JOIN nation   ON n_nationkey = c_nationkey
ORDER BY ranked.revenue DESC, ranked.o_custkey
