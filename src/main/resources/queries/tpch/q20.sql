-- Potential part promotion (TPC-H Q20)
--
-- The suppliers of a nation with an excess of a line of parts (named after a colour): more than half
-- of what they shipped of the part in a year is still in stock.
--
-- @param color text = forest in almond|antique|aquamarine|azure|beige|bisque|black|blanched|blue|blush|brown|burlywood|burnished|chartreuse|chiffon|chocolate|coral|cornflower|cornsilk|cream|cyan|dark|deep|dim|dodger|drab|firebrick|floral|forest|frosted|gainsboro|ghost|goldenrod|green|grey|honeydew|hot|indian|ivory|khaki|lace|lavender|lawn|lemon|light|lime|linen|magenta|maroon|medium|metallic|midnight|mint|misty|moccasin|navajo|navy|olive|orange|orchid|pale|papaya|peach|peru|pink|plum|powder|puff|purple|red|rose|rosy|royal|saddle|salmon|sandy|seashell|sienna|sky|slate|smoke|snow|spring|steel|tan|thistle|tomato|turquoise|violet|wheat|white|yellow -- first word of the part name
-- @param date date = 1994-01-01 range 1993-01-01..1997-01-01 -- first day of the year (January 1)
-- @param nation text = CANADA in ALGERIA|ARGENTINA|BRAZIL|CANADA|EGYPT|ETHIOPIA|FRANCE|GERMANY|INDIA|INDONESIA|IRAN|IRAQ|JAPAN|JORDAN|KENYA|MOROCCO|MOZAMBIQUE|PERU|CHINA|ROMANIA|'SAUDI ARABIA'|VIETNAM|RUSSIA|'UNITED KINGDOM'|'UNITED STATES' -- nation of the suppliers
-- @sort s_name, s_address
-- @key s_name
-- @order s_name
--
-- The specification's subquery correlated on (ps_partkey, ps_suppkey) is written as a join to the
-- quantity shipped per part and supplier, grouped by those keys: the same answer (a pair that
-- shipped nothing compares with NULL in the specification and finds no row here), and a form Citus
-- plans too (it refuses correlated subqueries beside reference tables).
SELECT
    s_name,
    s_address
FROM supplier
JOIN nation ON n_nationkey = s_nationkey
WHERE n_name = :nation
  AND s_suppkey IN (
        SELECT ps_suppkey
        FROM partsupp
        JOIN (
            SELECT l_partkey, l_suppkey, 0.5 * sum(l_quantity) AS half_shipped
            FROM lineitem
            WHERE l_partkey IN (
                    SELECT p_partkey
                    FROM part
                    WHERE p_name LIKE (:color || '%')
                  )
              AND l_shipdate >= :date::date
              AND l_shipdate < :date::date + interval '1 year'
            GROUP BY l_partkey, l_suppkey
        ) AS shipped ON l_partkey = ps_partkey AND l_suppkey = ps_suppkey
        WHERE ps_partkey IN (
                SELECT p_partkey
                FROM part
                WHERE p_name LIKE (:color || '%')
              )
          AND ps_availqty > half_shipped
      )
ORDER BY s_name
