-- Local supply revenue per nation
--
-- Revenue per nation from line items whose supplier is in the same nation as the ordering customer,
-- for orders placed in a period (TPC-H Q5 generalised to any period and every region). Nothing links
-- a customer to a supplier but their nation keys: the supplier is joined on s_nationkey = c_nationkey,
-- a join with no foreign key behind it. Nations without local sales in the period do not appear.
--
-- @param since date = 1994-01-01 range 1992-01-01..1999-01-01 -- first order date counted
-- @param until date = 1995-01-01 range 1992-01-01..1999-01-01 -- first order date no longer counted
-- @param region text optional in AFRICA|AMERICA|ASIA|EUROPE|'MIDDLE EAST' -- only the nations of this region
-- @sort nation, region, revenue, orders, line_items, customers, suppliers
-- @key nation
-- @order -revenue
-- @plan custom
SELECT
    n_name                                  AS nation,
    r_name                                  AS region,
    sum(revenue)               AS revenue,
    count(DISTINCT l_orderkey) AS orders,
    count(*)                   AS line_items,
    count(DISTINCT o_custkey)  AS customers,
    count(DISTINCT s_suppkey)  AS suppliers
FROM {{analysis/sales}} AS sale
JOIN supplier ON s_suppkey = l_suppkey
             AND s_nationkey = c_nationkey
/*[ WHERE r_name = :region ]*/
GROUP BY n_name, r_name
ORDER BY revenue DESC
