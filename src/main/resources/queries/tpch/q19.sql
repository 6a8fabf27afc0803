-- Discounted revenue (TPC-H Q19)
--
-- The revenue from air shipments delivered in person of parts of three kinds,
-- each kind given by a brand, a family of containers, a quantity range and a size range.
--
-- @param brand1 text = Brand#12 in Brand#11|Brand#12|Brand#13|Brand#14|Brand#15|Brand#21|Brand#22|Brand#23|Brand#24|Brand#25|Brand#31|Brand#32|Brand#33|Brand#34|Brand#35|Brand#41|Brand#42|Brand#43|Brand#44|Brand#45|Brand#51|Brand#52|Brand#53|Brand#54|Brand#55 -- brand of the small (SM) container parts
-- @param brand2 text = Brand#23 in Brand#11|Brand#12|Brand#13|Brand#14|Brand#15|Brand#21|Brand#22|Brand#23|Brand#24|Brand#25|Brand#31|Brand#32|Brand#33|Brand#34|Brand#35|Brand#41|Brand#42|Brand#43|Brand#44|Brand#45|Brand#51|Brand#52|Brand#53|Brand#54|Brand#55 -- brand of the medium (MED) container parts
-- @param brand3 text = Brand#34 in Brand#11|Brand#12|Brand#13|Brand#14|Brand#15|Brand#21|Brand#22|Brand#23|Brand#24|Brand#25|Brand#31|Brand#32|Brand#33|Brand#34|Brand#35|Brand#41|Brand#42|Brand#43|Brand#44|Brand#45|Brand#51|Brand#52|Brand#53|Brand#54|Brand#55 -- brand of the large (LG) container parts
-- @param quantity1 int = 1 range 1..10 -- smallest quantity for the first kind (up to 10 more)
-- @param quantity2 int = 10 range 10..20 -- smallest quantity for the second kind (up to 10 more)
-- @param quantity3 int = 20 range 20..30 -- smallest quantity for the third kind (up to 10 more)
-- @sort revenue
-- @key revenue
SELECT
    sum(l_extendedprice * (1 - l_discount)) AS revenue
FROM lineitem
JOIN part ON p_partkey = l_partkey
WHERE (    p_brand = :brand1
       AND p_container IN ('SM CASE', 'SM BOX', 'SM PACK', 'SM PKG')
       AND l_quantity >= :quantity1::int AND l_quantity <= :quantity1::int + 10
       AND p_size BETWEEN 1 AND 5
       AND l_shipmode IN ('AIR', 'AIR REG')
       AND l_shipinstruct = 'DELIVER IN PERSON')
   OR (    p_brand = :brand2
       AND p_container IN ('MED BAG', 'MED BOX', 'MED PKG', 'MED PACK')
       AND l_quantity >= :quantity2::int AND l_quantity <= :quantity2::int + 10
       AND p_size BETWEEN 1 AND 10
       AND l_shipmode IN ('AIR', 'AIR REG')
       AND l_shipinstruct = 'DELIVER IN PERSON')
   OR (    p_brand = :brand3
       AND p_container IN ('LG CASE', 'LG BOX', 'LG PACK', 'LG PKG')
       AND l_quantity >= :quantity3::int AND l_quantity <= :quantity3::int + 10
       AND p_size BETWEEN 1 AND 15
       AND l_shipmode IN ('AIR', 'AIR REG')
       AND l_shipinstruct = 'DELIVER IN PERSON')
