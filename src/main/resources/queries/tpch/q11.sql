-- Important stock identification (TPC-H Q11)
--
-- The parts that make up a significant share of the value of the stock held by a nation's suppliers,
-- most valuable first.
--
-- @param nation text = GERMANY in ALGERIA|ARGENTINA|BRAZIL|CANADA|EGYPT|ETHIOPIA|FRANCE|GERMANY|INDIA|INDONESIA|IRAN|IRAQ|JAPAN|JORDAN|KENYA|MOROCCO|MOZAMBIQUE|PERU|CHINA|ROMANIA|'SAUDI ARABIA'|VIETNAM|RUSSIA|'UNITED KINGDOM'|'UNITED STATES' -- nation of the suppliers
-- @param fraction numeric = 0.0001 -- share of the total stock value a part must exceed (0.0001 divided by the scale factor)
-- @sort ps_partkey, value
-- @key ps_partkey
-- @order -value
SELECT
    ps_partkey,
    sum(ps_supplycost * ps_availqty) AS value
FROM partsupp
JOIN supplier ON s_suppkey = ps_suppkey
JOIN nation   ON n_nationkey = s_nationkey
WHERE n_name = :nation
GROUP BY ps_partkey
HAVING sum(ps_supplycost * ps_availqty) > (
        SELECT sum(ps_supplycost * ps_availqty) * :fraction::numeric
        FROM partsupp
        JOIN supplier ON s_suppkey = ps_suppkey
        JOIN nation   ON n_nationkey = s_nationkey
        WHERE n_name = :nation
      )
ORDER BY value DESC
