-- Line items of the orders up to a key, summed by return flag, within a budget of plan cost
--
-- @param upto bigint = 100 -- the last order key counted
-- @budget cost 1000
SELECT l_returnflag, count(*) AS lines, sum(l_extendedprice) AS price
FROM lineitem
WHERE l_orderkey <= :upto
GROUP BY l_returnflag
