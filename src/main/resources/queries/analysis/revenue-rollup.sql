-- Revenue per nation with region subtotals and a grand total
--
-- Revenue and orders of customers per nation for orders placed in a period, with a subtotal row per
-- region and one grand-total row, from GROUP BY ROLLUP. grouping() tells the rows apart: level is
-- nation, region (nation is NULL) or total (region and nation are NULL). Each region's nations come
-- first, then its subtotal; the grand total is last.
--
-- @param since date = 1995-01-01 range 1992-01-01..1999-01-01 -- first order date counted
-- @param until date = 1996-01-01 range 1992-01-01..1999-01-01 -- first order date no longer counted
-- @sort region, nation, level, revenue, orders
-- @key region, nation
-- @order region, nation
SELECT
    r_name                                  AS region,
    n_name                                  AS nation,
    CASE grouping(r_name, n_name)
        WHEN 0 THEN 'nation'
        WHEN 1 THEN 'region'
        ELSE 'total'
    END                                     AS level,
    sum(revenue)                            AS revenue,
    count(DISTINCT l_orderkey)              AS orders
FROM {{analysis/sales}} AS sale
GROUP BY ROLLUP (r_name, n_name)
ORDER BY grouping(r_name), r_name, grouping(n_name), n_name
