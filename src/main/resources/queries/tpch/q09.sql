-- Product type profit measure (TPC-H Q9)
--
-- The profit made on a line of parts (those with a colour in their name), per supplier nation and year.
--
-- @param color text = green in almond|antique|aquamarine|azure|beige|bisque|black|blanched|blue|blush|brown|burlywood|burnished|chartreuse|chiffon|chocolate|coral|cornflower|cornsilk|cream|cyan|dark|deep|dim|dodger|drab|firebrick|floral|forest|frosted|gainsboro|ghost|goldenrod|green|grey|honeydew|hot|indian|ivory|khaki|lace|lavender|lawn|lemon|light|lime|linen|magenta|maroon|medium|metallic|midnight|mint|misty|moccasin|navajo|navy|olive|orange|orchid|pale|papaya|peach|peru|pink|plum|powder|puff|purple|red|rose|rosy|royal|saddle|salmon|sandy|seashell|sienna|sky|slate|smoke|snow|spring|steel|tan|thistle|tomato|turquoise|violet|wheat|white|yellow -- word in the part name
-- @sort nation, o_year, sum_profit
-- @key nation, o_year
-- @order nation, -o_year
-- @timeout 60s
SELECT
    nation,
    o_year,
    sum(amount) AS sum_profit
FROM (
    SELECT
        n_name                                                          AS nation,
        extract(YEAR FROM o_orderdate)::int                             AS o_year,
        l_extendedprice * (1 - l_discount) - ps_supplycost * l_quantity AS amount
    FROM part
    JOIN lineitem ON l_partkey = p_partkey
    JOIN partsupp ON ps_partkey = l_partkey AND ps_suppkey = l_suppkey
    JOIN supplier ON s_suppkey = l_suppkey
    JOIN orders   ON o_orderkey = l_orderkey
    JOIN nation   ON n_nationkey = s_nationkey
    WHERE p_name LIKE '%' || :color || '%'
) AS profit
GROUP BY nation, o_year
ORDER BY nation, o_year DESC
