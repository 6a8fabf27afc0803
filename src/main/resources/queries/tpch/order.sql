-- One order by its key
--
-- The header of one order: its customer, status, total price, date and priority.
--
-- @param orderkey bigint -- the order's key (o_orderkey)
-- @key o_orderkey
SELECT o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate, o_orderpriority
FROM orders
WHERE o_orderkey = :orderkey
