-- Orders with their customer's name, for tests that a filter on the template's output reaches the indexes
--
-- @sort o_orderkey, o_orderdate, o_totalprice
-- @key o_orderkey
SELECT o_orderkey, o_orderdate, o_totalprice, o_orderstatus, c_name
FROM orders
JOIN customer ON c_custkey = o_custkey
