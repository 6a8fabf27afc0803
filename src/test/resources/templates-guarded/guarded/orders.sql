-- Orders from a date on, within a budget of estimated rows
--
-- @param since date optional -- orders from this date on
-- @sort o_orderkey
-- @key o_orderkey
-- @budget rows 2000
SELECT o_orderkey, o_orderdate, o_totalprice
FROM orders
WHERE true /*[ AND o_orderdate >= :since ]*/
