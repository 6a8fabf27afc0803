-- Volume shipping (TPC-H Q7)
--
-- The value of goods shipped between two nations, in each direction, per year of 1995 and 1996,
-- to help renegotiate shipping contracts.
--
-- @param nation1 text = FRANCE in ALGERIA|ARGENTINA|BRAZIL|CANADA|EGYPT|ETHIOPIA|FRANCE|GERMANY|INDIA|INDONESIA|IRAN|IRAQ|JAPAN|JORDAN|KENYA|MOROCCO|MOZAMBIQUE|PERU|CHINA|ROMANIA|'SAUDI ARABIA'|VIETNAM|RUSSIA|'UNITED KINGDOM'|'UNITED STATES' -- first nation
-- @param nation2 text = GERMANY in ALGERIA|ARGENTINA|BRAZIL|CANADA|EGYPT|ETHIOPIA|FRANCE|GERMANY|INDIA|INDONESIA|IRAN|IRAQ|JAPAN|JORDAN|KENYA|MOROCCO|MOZAMBIQUE|PERU|CHINA|ROMANIA|'SAUDI ARABIA'|VIETNAM|RUSSIA|'UNITED KINGDOM'|'UNITED STATES' -- second nation (different from the first)
-- @sort supp_nation, cust_nation, l_year, revenue
-- @key supp_nation, cust_nation, l_year
-- @order supp_nation, cust_nation, l_year
SELECT
    supp_nation,
    cust_nation,
    l_year,
    sum(volume) AS revenue
FROM (
    SELECT
        n1.n_name                                AS supp_nation,
        n2.n_name                                AS cust_nation,
        extract(YEAR FROM l_shipdate)::int       AS l_year,
        l_extendedprice * (1 - l_discount)       AS volume
    FROM supplier
    JOIN lineitem   ON l_suppkey = s_suppkey
    JOIN orders     ON o_orderkey = l_orderkey
    JOIN customer   ON c_custkey = o_custkey
    JOIN nation n1  ON n1.n_nationkey = s_nationkey
    JOIN nation n2  ON n2.n_nationkey = c_nationkey
    WHERE (   (n1.n_name = :nation1 AND n2.n_name = :nation2)
           OR (n1.n_name = :nation2 AND n2.n_name = :nation1))
      AND l_shipdate BETWEEN date '1995-01-01' AND date '1996-12-31'
) AS shipping
GROUP BY supp_nation, cust_nation, l_year
ORDER BY supp_nation, cust_nation, l_year
