-- Small-quantity-order revenue (TPC-H Q17)
--
-- The average yearly revenue that would be lost if orders of a brand and container were no longer
-- taken when they are small (under 20% of the part's average quantity).
--
-- @param brand text = Brand#23 in Brand#11|Brand#12|Brand#13|Brand#14|Brand#15|Brand#21|Brand#22|Brand#23|Brand#24|Brand#25|Brand#31|Brand#32|Brand#33|Brand#34|Brand#35|Brand#41|Brand#42|Brand#43|Brand#44|Brand#45|Brand#51|Brand#52|Brand#53|Brand#54|Brand#55 -- part brand
-- @param container text = 'MED BOX' in 'SM CASE'|'SM BOX'|'SM BAG'|'SM JAR'|'SM PKG'|'SM PACK'|'SM CAN'|'SM DRUM'|'LG CASE'|'LG BOX'|'LG BAG'|'LG JAR'|'LG PKG'|'LG PACK'|'LG CAN'|'LG DRUM'|'MED CASE'|'MED BOX'|'MED BAG'|'MED JAR'|'MED PKG'|'MED PACK'|'MED CAN'|'MED DRUM'|'JUMBO CASE'|'JUMBO BOX'|'JUMBO BAG'|'JUMBO JAR'|'JUMBO PKG'|'JUMBO PACK'|'JUMBO CAN'|'JUMBO DRUM'|'WRAP CASE'|'WRAP BOX'|'WRAP BAG'|'WRAP JAR'|'WRAP PKG'|'WRAP PACK'|'WRAP CAN'|'WRAP DRUM' -- part container
-- @sort avg_yearly
-- @key avg_yearly
--
-- The specification's subquery correlated on p_partkey is written as a join to the average
-- quantity per part, grouped by that key: the same answer, and a form Citus plans too (it refuses
-- the correlated one when lineitem is distributed by order key).
SELECT
    sum(l_extendedprice) / 7.0 AS avg_yearly
FROM lineitem
JOIN part ON p_partkey = l_partkey
JOIN (
    SELECT l_partkey AS avg_partkey, 0.2 * avg(l_quantity) AS small_quantity
    FROM lineitem
    JOIN part ON p_partkey = l_partkey
    WHERE p_brand = :brand
      AND p_container = :container
    GROUP BY l_partkey
) AS part_average ON avg_partkey = l_partkey
WHERE p_brand = :brand
  AND p_container = :container
  AND l_quantity < small_quantity
