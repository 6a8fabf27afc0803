-- Minimum cost supplier (TPC-H Q2)
--
-- Which supplier in a region should be asked for a part of a given size and type:
-- for each such part, the suppliers of the region that offer it at the lowest supply cost.
--
-- @param size int = 15 range 1..50 -- part size
-- @param type text = BRASS in TIN|NICKEL|BRASS|STEEL|COPPER -- last word of the part type (its material)
-- @param region text = EUROPE in AFRICA|AMERICA|ASIA|EUROPE|'MIDDLE EAST' -- region of the suppliers
-- @sort s_acctbal, s_name, n_name, p_partkey, p_mfgr
-- @key p_partkey, s_name
-- @order -s_acctbal, n_name, s_name, p_partkey
SELECT
    s_acctbal,
    s_name,
    n_name,
    p_partkey,
    p_mfgr,
    s_address,
    s_phone,
    s_comment
FROM part
JOIN partsupp ON ps_partkey = p_partkey
JOIN supplier ON s_suppkey = ps_suppkey
JOIN nation   ON n_nationkey = s_nationkey
JOIN region   ON r_regionkey = n_regionkey
WHERE p_size = :size
  AND p_type LIKE '%' || :type
  AND r_name = :region
  AND ps_supplycost = (
        SELECT min(ps_supplycost)
        FROM partsupp
        JOIN supplier ON s_suppkey = ps_suppkey
        JOIN nation   ON n_nationkey = s_nationkey
        JOIN region   ON r_regionkey = n_regionkey
        WHERE ps_partkey = p_partkey
          AND r_name = :region
      )
ORDER BY s_acctbal DESC, n_name, s_name, p_partkey
LIMIT 100
