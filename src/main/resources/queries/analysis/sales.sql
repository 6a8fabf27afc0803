-- Sales: the line items of orders placed in a period, with their revenue and the customer's nation
--
-- One row per line item of an order placed from since (included) to until (excluded), with its
-- revenue (the price net of discount), its order, and the customer's market segment, nation and
-- region. The revenue analyses read this layer, so that revenue is written once and so is the join of
-- line items to orders, customers, nations and regions. Every join follows a foreign key, so each line
-- item appears exactly once.
--
-- @param since date = 1995-01-01 range 1992-01-01..1999-01-01 -- first order date counted
-- @param until date = 1996-01-01 range 1992-01-01..1999-01-01 -- first order date no longer counted
-- @sort l_orderkey, l_linenumber, o_orderdate, revenue
-- @key l_orderkey, l_linenumber
-- @order l_orderkey, l_linenumber
SELECT
    l_orderkey,
    l_linenumber,
    l_partkey,
    l_suppkey,
    l_quantity,
    l_extendedprice,
    l_discount,
    l_extendedprice * (1 - l_discount) AS revenue,
    l_shipmode,
    o_custkey,
    o_orderdate,
    c_nationkey,
    c_mktsegment,
    n_name,
    r_name
FROM lineitem
JOIN orders   ON o_orderkey = l_orderkey
JOIN customer ON c_custkey = o_custkey
JOIN nation   ON n_nationkey = c_nationkey
JOIN region   ON r_regionkey = n_regionkey
WHERE o_orderdate >= :since::date
  AND o_orderdate <  :until::date
