-- Orders, revenue, customers and suppliers per nation
--
-- For each nation, the orders its customers placed in a period, the revenue of those orders, how many
-- distinct customers placed them, and how many suppliers the nation has. The facts stand one above the
-- other, each row one order, one line item's revenue, one supplier or the nation itself (so a nation
-- without facts still has its row of zeros), and each measure counts or sums only its own kind: joining
-- orders, line items and suppliers to nation in one FROM would repeat every order once per line item
-- and once per supplier (fan-out) and inflate every sum and count. Grouped by nation and region unless
-- _group asks otherwise; answered from its nations rollup.
--
-- @param since date = 1995-01-01 range 1992-01-01..1999-01-01 -- first order date counted
-- @param until date = 1996-01-01 range 1992-01-01..1999-01-01 -- first order date no longer counted
-- @dimension nation: n_name
-- @dimension region: r_name
-- @measure orders: count(*) FILTER (WHERE kind = 'order')
-- @measure revenue: coalesce(sum(revenue), 0)
-- @measure customers: count(DISTINCT o_custkey)
-- @measure suppliers: count(*) FILTER (WHERE kind = 'supplier')
-- @group nation, region
-- @sort nation, region, orders, revenue, customers, suppliers
-- @key nation
-- @order nation
-- @rollup nations dimensions nation, region
-- @rollup nations measures orders, revenue, customers, suppliers
-- @plan custom
SELECT n_name, r_name, fact.kind, fact.o_custkey, fact.revenue
FROM nation
JOIN region ON r_regionkey = n_regionkey
JOIN (
    SELECT 'nation' AS kind, n_nationkey AS nationkey, NULL::int AS o_custkey, NULL::numeric AS revenue
    FROM nation
    UNION ALL
    SELECT 'order', c_nationkey, o_custkey, NULL
    FROM orders
    JOIN customer ON c_custkey = o_custkey
    WHERE o_orderdate >= :since::date
      AND o_orderdate <  :until::date
    UNION ALL
    SELECT 'revenue', c_nationkey, NULL, revenue
    FROM {{analysis/sales}} AS sale
    UNION ALL
    SELECT 'supplier', s_nationkey, NULL, NULL
    FROM supplier
) AS fact ON fact.nationkey = n_nationkey
