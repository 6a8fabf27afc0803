-- Supplier revenue in a quarter (TPC-H Q15 view)
--
-- The revenue each supplier made on line items shipped in a quarter.
--
-- @param date date = 1996-01-01 range 1993-01-01..1997-10-01 -- first day of the quarter (first day of a month)
-- @sort supplier_no, total_revenue
-- @key supplier_no
SELECT
    l_suppkey                               AS supplier_no,
    sum(l_extendedprice * (1 - l_discount)) AS total_revenue
FROM lineitem
WHERE l_shipdate >= :date::date
  AND l_shipdate < :date::date + interval '3 months'
GROUP BY l_suppkey
