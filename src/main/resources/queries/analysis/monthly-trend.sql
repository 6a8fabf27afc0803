-- Monthly revenue per nation, with running total and rank in region
--
-- Revenue per customer nation and month for orders placed in a period, with two window functions over
-- the monthly figures: the nation's running total since the start of the period, and the nation's rank
-- among the nations of its region that month (1 = highest revenue; ties share a rank).
--
-- @param since date = 1995-01-01 range 1992-01-01..1999-01-01 -- first order date counted (first day of a month)
-- @param until date = 1996-01-01 range 1992-01-01..1999-01-01 -- first order date no longer counted
-- @param region text optional in AFRICA|AMERICA|ASIA|EUROPE|'MIDDLE EAST' -- only the nations of this region
-- @sort region, nation, month, revenue, running_revenue, rank_in_region
-- @key nation, month
-- @order region, nation, month
-- @plan custom
WITH monthly AS (
    SELECT
        r_name                                 AS region,
        n_name                                 AS nation,
        date_trunc('month', o_orderdate)::date AS month,
        sum(revenue)                           AS revenue
    FROM {{analysis/sales}} AS sale
    /*[ WHERE r_name = :region ]*/
    GROUP BY r_name, n_name, date_trunc('month', o_orderdate)
)
SELECT
    region,
    nation,
    month,
    revenue,
    sum(revenue) OVER (PARTITION BY nation ORDER BY month)          AS running_revenue,
    rank()       OVER (PARTITION BY region, month ORDER BY revenue DESC) AS rank_in_region
FROM monthly
ORDER BY region, nation, month
