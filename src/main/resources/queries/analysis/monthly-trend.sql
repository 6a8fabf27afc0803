-- Monthly revenue per nation, with running total and rank in region
--
-- Revenue per customer nation and month for orders placed in a period, with two window functions over
-- the monthly figures: the nation's running total since the start of the period, and the nation's rank
-- among the nations of its region that month (1 = highest revenue; ties share a rank). The windows run
-- over the grouped rows, so the answer comes from the monthly rollup whenever the period starts and
-- ends on the first of a month; running_revenue needs nation and month in _group, rank_in_region
-- region and month.
--
-- @param since date = 1995-01-01 range 1992-01-01..1999-01-01 -- first order date counted (first day of a month)
-- @param until date = 1996-01-01 range 1992-01-01..1999-01-01 -- first order date no longer counted
-- @param region text optional in AFRICA|AMERICA|ASIA|EUROPE|'MIDDLE EAST' -- only the nations of this region
-- @dimension region: region
-- @dimension nation: nation
-- @dimension month: month
-- @measure revenue: sum(revenue)
-- @measure running_revenue: sum(sum(revenue)) OVER (PARTITION BY nation ORDER BY month)
-- @measure rank_in_region: rank() OVER (PARTITION BY region, month ORDER BY sum(revenue) DESC)
-- @group region, nation, month
-- @sort region, nation, month, revenue, running_revenue, rank_in_region
-- @key nation, month
-- @order region, nation, month
-- @rollup monthly dimensions region, nation, month
-- @rollup monthly time o_orderdate month
-- @rollup monthly measures revenue, running_revenue, rank_in_region
-- @rollup monthly build since = 1992-01-01, until = 1999-01-01
-- @rollup monthly where o_orderdate >= :since::date AND o_orderdate < :until::date AND (:region::text IS NULL OR region = :region::text)
-- @rollup monthly partition year changes o_orderdate
-- @plan custom
SELECT
    r_name                                 AS region,
    n_name                                 AS nation,
    date_trunc('month', o_orderdate)::date AS month,
    o_orderdate,
    revenue
FROM {{analysis/sales}} AS sale
/*[ WHERE r_name = :region ]*/
