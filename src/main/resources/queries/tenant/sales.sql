-- The tenant's line items, to group by month, status and ship mode: a customer-facing dashboard
--
-- One row per line item of an order of a customer of the caller's nation, with its revenue (the
-- price net of discount). Ask ?_group=month&_measures=revenue,orders for the dashboard's chart;
-- without _group the answer is one row of totals.
--
-- @param shipmode text optional -- only line items shipped this way
-- @dimension month: date_trunc('month', o_orderdate)::date
-- @dimension status: o_orderstatus
-- @dimension ship_mode: l_shipmode
-- @measure revenue: sum(revenue)
-- @measure orders: count(DISTINCT l_orderkey)
-- @measure lines: count(*)
SELECT
    l.l_orderkey,
    l.l_linenumber,
    c.c_nationkey,
    o.o_orderdate,
    o.o_orderstatus,
    l.l_shipmode,
    l.l_extendedprice * (1 - l.l_discount) AS revenue
FROM lineitem AS l
JOIN orders AS o ON o.o_orderkey = l.l_orderkey
JOIN customer AS c ON c.c_custkey = o.o_custkey
WHERE c.c_nationkey = :tenant
/*[ AND l.l_shipmode = :shipmode ]*/
