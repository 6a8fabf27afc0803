-- Forecasting revenue change (TPC-H Q6)
--
-- How much revenue a year would have gained had small discounts been dropped: the discount given
-- on line items shipped in the year, with a discount near a value and a quantity below a limit.
--
-- @param date date = 1994-01-01 range 1993-01-01..1997-01-01 -- first day of the year (January 1)
-- @param discount numeric = 0.06 range 0.02..0.09 -- discount rate; line items within 0.01 of it count
-- @param quantity int = 24 range 24..25 -- line items with a quantity below this count
-- @sort revenue
-- @key revenue
SELECT
    sum(l_extendedprice * l_discount) AS revenue
FROM lineitem
WHERE l_shipdate >= :date::date
  AND l_shipdate < :date::date + interval '1 year'
  AND l_discount BETWEEN :discount::numeric - 0.01 AND :discount::numeric + 0.01
  AND l_quantity < :quantity::int
