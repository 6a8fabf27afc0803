-- Revenue cube: sales by any combination of dimensions
--
-- Line items of orders placed in a period, to be grouped by any of: the customer's region, nation and
-- market segment; the order's year, quarter (1-4) and month (1-12); the part's top category (the first
-- word of its type, found through part_leaf_category and the category tree); the ship mode. Ask
-- ?_group=region,year&_measures=revenue,orders; without _group the answer is one row of totals.
--
-- @param since date = 1992-01-01 range 1992-01-01..1999-01-01 -- first order date counted
-- @param until date = 1999-01-01 range 1992-01-01..1999-01-01 -- first order date no longer counted
-- @dimension region: r_name
-- @dimension nation: n_name
-- @dimension segment: c_mktsegment
-- @dimension year: extract(YEAR FROM o_orderdate)::int
-- @dimension quarter: extract(QUARTER FROM o_orderdate)::int
-- @dimension month: extract(MONTH FROM o_orderdate)::int
-- @dimension category: category
-- @dimension ship_mode: l_shipmode
-- @measure revenue: sum(revenue)
-- @measure orders: count(DISTINCT l_orderkey)
-- @measure customers: count(DISTINCT o_custkey)
-- @measure quantity: sum(l_quantity)
-- @measure avg_discount: round(avg(l_discount), 4)
-- @rollup monthly dimensions region, nation, segment, year, quarter, month, category, ship_mode
-- @rollup monthly time o_orderdate month
-- @rollup monthly measures revenue, quantity, avg_discount
-- @rollup monthly where o_orderdate >= :since::date AND o_orderdate < :until::date
-- @rollup monthly partition year changes o_orderdate
-- @rollup yearly dimensions region, nation, segment, year
-- @rollup yearly time o_orderdate year
-- @rollup yearly measures revenue, quantity, avg_discount
-- @rollup yearly where o_orderdate >= :since::date AND o_orderdate < :until::date
-- @rollup nations dimensions region, nation
-- @rollup nations measures revenue, orders, customers, quantity, avg_discount
-- @timeout 60s
-- @plan custom
SELECT
    r_name,
    n_name,
    c_mktsegment,
    o_orderdate,
    top.name AS category,
    l_shipmode,
    l_orderkey,
    o_custkey,
    revenue,
    l_discount,
    l_quantity
FROM {{analysis/sales}} AS sale
JOIN part_leaf_category AS leaf ON leaf.p_partkey = sale.l_partkey
JOIN part_category      AS kind ON kind.id = leaf.category_id
JOIN part_category      AS mid  ON mid.id = kind.parent_id
JOIN part_category      AS top  ON top.id = mid.parent_id
