-- National market share (TPC-H Q8)
--
-- The share of a nation's suppliers in the revenue of a part type sold to customers of its region,
-- for each of the years 1995 and 1996.
--
-- @param nation text = BRAZIL in ALGERIA|ARGENTINA|BRAZIL|CANADA|EGYPT|ETHIOPIA|FRANCE|GERMANY|INDIA|INDONESIA|IRAN|IRAQ|JAPAN|JORDAN|KENYA|MOROCCO|MOZAMBIQUE|PERU|CHINA|ROMANIA|'SAUDI ARABIA'|VIETNAM|RUSSIA|'UNITED KINGDOM'|'UNITED STATES' -- supplier nation whose share is measured
-- @param region text = AMERICA in AFRICA|AMERICA|ASIA|EUROPE|'MIDDLE EAST' -- region of the customers (the nation's region)
-- @param type text = 'ECONOMY ANODIZED STEEL' -- part type, three words such as 'ECONOMY ANODIZED STEEL'
-- @sort o_year, mkt_share
-- @key o_year
-- @order o_year
SELECT
    o_year,
    sum(CASE WHEN nation = :nation THEN volume ELSE 0 END) / sum(volume) AS mkt_share
FROM (
    SELECT
        extract(YEAR FROM o_orderdate)::int      AS o_year,
        l_extendedprice * (1 - l_discount)       AS volume,
        n2.n_name                                AS nation
    FROM part
    JOIN lineitem   ON l_partkey = p_partkey
    JOIN supplier   ON s_suppkey = l_suppkey
    JOIN orders     ON o_orderkey = l_orderkey
    JOIN customer   ON c_custkey = o_custkey
    JOIN nation n1  ON n1.n_nationkey = c_nationkey
    JOIN region     ON r_regionkey = n1.n_regionkey
    JOIN nation n2  ON n2.n_nationkey = s_nationkey
    WHERE r_name = :region
      AND o_orderdate BETWEEN date '1995-01-01' AND date '1996-12-31'
      AND p_type = :type
) AS all_nations
GROUP BY o_year
ORDER BY o_year
