-- Pricing summary report (TPC-H Q1)
--
-- How much business was billed, shipped and returned, per return flag and line status,
-- for the line items shipped up to a number of days before 1998-12-01.
--
-- @param delta int = 90 range 60..120 -- days before 1998-12-01 that the report ends
-- @sort l_returnflag, l_linestatus, sum_qty, sum_base_price, sum_disc_price, sum_charge, avg_qty, avg_price, avg_disc, count_order
-- @key l_returnflag, l_linestatus
-- @order l_returnflag, l_linestatus
SELECT
    l_returnflag,
    l_linestatus,
    sum(l_quantity)                                       AS sum_qty,
    sum(l_extendedprice)                                  AS sum_base_price,
    sum(l_extendedprice * (1 - l_discount))               AS sum_disc_price,
    sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
    avg(l_quantity)                                       AS avg_qty,
    avg(l_extendedprice)                                  AS avg_price,
    avg(l_discount)                                       AS avg_disc,
    count(*)                                              AS count_order
FROM lineitem
WHERE l_shipdate <= date '1998-12-01' - make_interval(days => :delta)
GROUP BY l_returnflag, l_linestatus
ORDER BY l_returnflag, l_linestatus
