-- Parts/supplier relationship (TPC-H Q16)
--
-- How many suppliers, without customer complaints on record, can supply parts of given sizes,
-- per brand, type and size, leaving out one brand and one kind of type.
--
-- @param brand text = Brand#45 in Brand#11|Brand#12|Brand#13|Brand#14|Brand#15|Brand#21|Brand#22|Brand#23|Brand#24|Brand#25|Brand#31|Brand#32|Brand#33|Brand#34|Brand#35|Brand#41|Brand#42|Brand#43|Brand#44|Brand#45|Brand#51|Brand#52|Brand#53|Brand#54|Brand#55 -- brand left out
-- @param type text = 'MEDIUM POLISHED' in 'STANDARD ANODIZED'|'STANDARD BURNISHED'|'STANDARD PLATED'|'STANDARD POLISHED'|'STANDARD BRUSHED'|'SMALL ANODIZED'|'SMALL BURNISHED'|'SMALL PLATED'|'SMALL POLISHED'|'SMALL BRUSHED'|'MEDIUM ANODIZED'|'MEDIUM BURNISHED'|'MEDIUM PLATED'|'MEDIUM POLISHED'|'MEDIUM BRUSHED'|'LARGE ANODIZED'|'LARGE BURNISHED'|'LARGE PLATED'|'LARGE POLISHED'|'LARGE BRUSHED'|'ECONOMY ANODIZED'|'ECONOMY BURNISHED'|'ECONOMY PLATED'|'ECONOMY POLISHED'|'ECONOMY BRUSHED'|'PROMO ANODIZED'|'PROMO BURNISHED'|'PROMO PLATED'|'PROMO POLISHED'|'PROMO BRUSHED' -- first two words of the types left out
-- @param sizes int[] = 49,14,23,45,19,3,36,9 range 1..50 -- eight different part sizes
-- @sort p_brand, p_type, p_size, supplier_cnt
-- @key p_brand, p_type, p_size
-- @order -supplier_cnt, p_brand, p_type, p_size
SELECT
    p_brand,
    p_type,
    p_size,
    count(DISTINCT ps_suppkey) AS supplier_cnt
FROM partsupp
JOIN part ON p_partkey = ps_partkey
WHERE p_brand <> :brand
  AND p_type NOT LIKE (:type || '%')
  AND p_size = ANY(:sizes::int[])
  AND ps_suppkey NOT IN (
        SELECT s_suppkey
        FROM supplier
        WHERE s_comment LIKE '%Customer%Complaints%'
      )
GROUP BY p_brand, p_type, p_size
ORDER BY supplier_cnt DESC, p_brand, p_type, p_size
