-- Global sales opportunity (TPC-H Q22)
--
-- Per country code, how many customers have not ordered for seven years but have an account balance
-- above the average positive balance of those countries, and how much money they hold.
--
-- @param codes text[] = 13,31,23,29,30,18,17 in 10|11|12|13|14|15|16|17|18|19|20|21|22|23|24|25|26|27|28|29|30|31|32|33|34 -- seven different country codes (first two digits of the phone number)
-- @sort cntrycode, numcust, totacctbal
-- @key cntrycode
-- @order cntrycode
--
-- The specification's NOT EXISTS correlated on c_custkey is written as an anti-join to the
-- customers that have orders: the same answer, and a form Citus plans too (it refuses correlated
-- subqueries beside reference tables).
SELECT
    cntrycode,
    count(*)       AS numcust,
    sum(c_acctbal) AS totacctbal
FROM (
    SELECT
        substring(c_phone FROM 1 FOR 2) AS cntrycode,
        c_acctbal
    FROM customer
    LEFT JOIN (
        SELECT o_custkey
        FROM orders
        GROUP BY o_custkey
    ) AS ordering ON o_custkey = c_custkey
    WHERE substring(c_phone FROM 1 FOR 2) = ANY(:codes::text[])
      AND c_acctbal > (
            SELECT avg(c_acctbal)
            FROM customer
            WHERE c_acctbal > 0.00
              AND substring(c_phone FROM 1 FOR 2) = ANY(:codes::text[])
          )
      AND o_custkey IS NULL
) AS custsale
GROUP BY cntrycode
ORDER BY cntrycode
