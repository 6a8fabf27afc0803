-- The tenant's orders: each order of a customer of the caller's nation
--
-- The tenant is the customer nation named by the caller's token (quarry.tenant.claim); :tenant is
-- bound from it and never from the request. The dashboard templates beside this one read it as a layer.
--
-- @param status text optional in F|O|P -- order status: F (fulfilled), O (open) or P (partly shipped)
-- @sort o_orderdate, o_totalprice, o_orderkey
-- @key o_orderkey
-- @order -o_orderdate
SELECT
    o.o_orderkey,
    o.o_custkey,
    c.c_name,
    c.c_nationkey,
    o.o_orderdate,
    o.o_orderstatus,
    o.o_totalprice
FROM orders AS o
JOIN customer AS c ON c.c_custkey = o.o_custkey
WHERE c.c_nationkey = :tenant
/*[ AND o.o_orderstatus = :status ]*/
