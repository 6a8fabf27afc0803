-- TPC-H orders by status and month, for the rollups built when a dataset is published
--
-- @dimension status: o_orderstatus
-- @measure total: sum(o_totalprice)
-- @measure orders: count(*)
-- @rollup monthly dimensions status
-- @rollup monthly time o_orderdate month
-- @rollup monthly measures total, orders
SELECT o_orderstatus, o_orderdate, o_totalprice FROM orders
