-- The tenant's customers by what they ordered: a customer-facing dashboard's leader board
--
-- Every customer of the caller's nation with orders, their order count and total, read through the
-- tenant's orders layer (which binds :tenant).
--
-- @param since date optional -- first order date counted
-- @sort orders, total, c_custkey
-- @key c_custkey
-- @order -total
SELECT
    o.o_custkey AS c_custkey,
    min(o.c_name) AS c_name,
    min(o.c_nationkey) AS c_nationkey,
    count(*) AS orders,
    sum(o.o_totalprice) AS total
FROM {{tenant/orders}} AS o
WHERE true /*[ AND o.o_orderdate >= :since ]*/
GROUP BY o.o_custkey
