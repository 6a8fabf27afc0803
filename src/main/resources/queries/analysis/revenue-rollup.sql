-- Revenue per nation with region subtotals and a grand total
--
-- Revenue and orders of customers per nation for orders placed in a period, with a subtotal row per
-- region and one grand-total row, from GROUP BY ROLLUP. grouping() tells the rows apart: level is
-- nation, region (nation is NULL) or total (region and nation are NULL). Each region's nations come
-- first, then its subtotal; the grand total is last.
--
-- The nations are summed first and the ROLLUP runs over those 25 rows: Citus cannot run grouping
-- sets over distributed tables, and does this way (the per-nation step runs on the workers). The
-- order counts add up because each order belongs to one customer, so to one nation and one region;
-- with no orders at all the total row counts 0 of them, as count() would.
--
-- @param since date = 1995-01-01 range 1992-01-01..1999-01-01 -- first order date counted
-- @param until date = 1996-01-01 range 1992-01-01..1999-01-01 -- first order date no longer counted
-- @sort region, nation, level, revenue, orders
-- @key region, nation
-- @order region, nation
-- @plan custom
SELECT
    region,
    nation,
    CASE grouping(region, nation)
        WHEN 0 THEN 'nation'
        WHEN 1 THEN 'region'
        ELSE 'total'
    END                              AS level,
    sum(revenue)                     AS revenue,
    coalesce(sum(orders), 0)::bigint AS orders
FROM (
    SELECT
        r_name                     AS region,
        n_name                     AS nation,
        sum(revenue)               AS revenue,
        count(DISTINCT l_orderkey) AS orders
    FROM {{analysis/sales}} AS sale
    GROUP BY r_name, n_name
) AS per_nation
GROUP BY ROLLUP (region, nation)
ORDER BY grouping(region), region, grouping(nation), nation
