-- Top supplier (TPC-H Q15)
--
-- The supplier (or suppliers, on a tie) who contributed the most revenue in a quarter.
--
-- @param date date = 1996-01-01 range 1993-01-01..1997-10-01 -- first day of the quarter (first day of a month)
-- @sort s_suppkey, s_name, total_revenue
-- @key s_suppkey
-- @order s_suppkey
WITH revenue AS {{tpch/revenue}}
SELECT
    s_suppkey,
    s_name,
    s_address,
    s_phone,
    total_revenue
FROM supplier
JOIN revenue ON supplier_no = s_suppkey
WHERE total_revenue = (SELECT max(total_revenue) FROM revenue)
ORDER BY s_suppkey
