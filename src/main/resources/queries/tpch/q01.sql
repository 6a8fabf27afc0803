-- Pricing summary report (TPC-H Q1)
--
-- How much business was billed, shipped and returned, per return flag and line status,
-- for the line items shipped up to a number of days before 1998-12-01. Grouped by both unless
-- _group asks for fewer (_group= for one row of totals); answered from its daily rollup.
--
-- @param delta int = 90 range 60..120 -- days before 1998-12-01 that the report ends
-- @dimension l_returnflag: l_returnflag
-- @dimension l_linestatus: l_linestatus
-- @measure sum_qty: sum(l_quantity)
-- @measure sum_base_price: sum(l_extendedprice)
-- @measure sum_disc_price: sum(l_extendedprice * (1 - l_discount))
-- @measure sum_charge: sum(l_extendedprice * (1 - l_discount) * (1 + l_tax))
-- @measure avg_qty: avg(l_quantity)
-- @measure avg_price: avg(l_extendedprice)
-- @measure avg_disc: avg(l_discount)
-- @measure count_order: count(*)
-- @group l_returnflag, l_linestatus
-- @sort l_returnflag, l_linestatus, sum_qty, sum_base_price, sum_disc_price, sum_charge, avg_qty, avg_price, avg_disc, count_order
-- @key l_returnflag, l_linestatus
-- @order l_returnflag, l_linestatus
-- @rollup daily dimensions l_returnflag, l_linestatus
-- @rollup daily time l_shipdate day
-- @rollup daily measures sum_qty, sum_base_price, sum_disc_price, sum_charge, avg_qty, avg_price, avg_disc, count_order
-- @rollup daily where l_shipdate <= date '1998-12-01' - make_interval(days => :delta::int)
-- @rollup daily build delta = 60
-- @rollup daily partition year changes l_shipdate
SELECT
    l_returnflag,
    l_linestatus,
    l_quantity,
    l_extendedprice,
    l_discount,
    l_tax,
    l_shipdate
FROM lineitem
WHERE l_shipdate <= date '1998-12-01' - make_interval(days => :delta)
