-- Promotion effect (TPC-H Q14)
--
-- The percentage of a month's revenue that came from promotional parts.
--
-- @param date date = 1995-09-01 range 1993-01-01..1997-12-01 -- first day of the month
-- @sort promo_revenue
-- @key promo_revenue
SELECT
    100.00 * sum(CASE WHEN p_type LIKE 'PROMO%'
                      THEN l_extendedprice * (1 - l_discount)
                      ELSE 0 END)
           / sum(l_extendedprice * (1 - l_discount)) AS promo_revenue
FROM lineitem
JOIN part ON p_partkey = l_partkey
WHERE l_shipdate >= :date::date
  AND l_shipdate < :date::date + interval '1 month'
