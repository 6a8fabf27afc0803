-- Orders, revenue, customers and suppliers per nation
--
-- For each nation, the orders its customers placed in a period, the revenue of those orders, how many
-- distinct customers placed them, and how many suppliers the nation has. Each fact is aggregated to one
-- row per nation in its own CTE before any of them meets nation: joining orders, line items and
-- suppliers to nation in one FROM would repeat every order once per line item and once per supplier
-- (fan-out) and inflate every sum and count.
--
-- @param since date = 1995-01-01 range 1992-01-01..1999-01-01 -- first order date counted
-- @param until date = 1996-01-01 range 1992-01-01..1999-01-01 -- first order date no longer counted
-- @sort nation, region, orders, revenue, customers, suppliers
-- @key nation
-- @order nation
-- @plan custom
WITH orders_per_nation AS (
    SELECT
        c_nationkey               AS nationkey,
        count(*)                  AS orders,
        count(DISTINCT o_custkey) AS customers
    FROM orders
    JOIN customer ON c_custkey = o_custkey
    WHERE o_orderdate >= :since::date
      AND o_orderdate <  :until::date
    GROUP BY c_nationkey
),
revenue_per_nation AS (
    SELECT
        c_nationkey  AS nationkey,
        sum(revenue) AS revenue
    FROM {{analysis/sales}} AS sale
    GROUP BY c_nationkey
),
suppliers_per_nation AS (
    SELECT s_nationkey AS nationkey, count(*) AS suppliers
    FROM supplier
    GROUP BY s_nationkey
)
SELECT
    n_name                      AS nation,
    r_name                      AS region,
    coalesce(o.orders, 0)       AS orders,
    coalesce(r.revenue, 0)      AS revenue,
    coalesce(o.customers, 0)    AS customers,
    coalesce(s.suppliers, 0)    AS suppliers
FROM nation
JOIN region                         ON r_regionkey = n_regionkey
LEFT JOIN orders_per_nation    AS o ON o.nationkey = n_nationkey
LEFT JOIN revenue_per_nation   AS r ON r.nationkey = n_nationkey
LEFT JOIN suppliers_per_nation AS s ON s.nationkey = n_nationkey
ORDER BY nation
