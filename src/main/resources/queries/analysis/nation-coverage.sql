-- Customer and supplier coverage per nation
--
-- Every nation with how many customers and how many suppliers it has, optionally counting only the
-- customers of a market segment or above a balance and the suppliers above a balance, and whether it
-- has both, one side only, or neither. The per-nation counts are FULL OUTER JOINed, so a nation
-- with suppliers but no customers (or the reverse) keeps its count; either key may then be NULL, so
-- nation is matched on one key OR the other, in a RIGHT OUTER JOIN that keeps nations with neither.
--
-- @param segment text optional in AUTOMOBILE|BUILDING|FURNITURE|HOUSEHOLD|MACHINERY -- count only customers of this market segment
-- @param customer_min_acctbal numeric optional range -999.99..9999.99 -- count only customers with at least this balance
-- @param supplier_min_acctbal numeric optional range -999.99..9999.99 -- count only suppliers with at least this balance
-- @param region text optional in AFRICA|AMERICA|ASIA|EUROPE|'MIDDLE EAST' -- only the nations of this region
-- @sort region, nation, customers, suppliers, coverage
-- @key nation
-- @order region, nation
WITH customers AS (
    SELECT c_nationkey AS nationkey, count(*) AS customers
    FROM customer
    WHERE TRUE
      /*[ AND c_mktsegment = :segment ]*/
      /*[ AND c_acctbal >= :customer_min_acctbal ]*/
    GROUP BY c_nationkey
),
suppliers AS (
    SELECT s_nationkey AS nationkey, count(*) AS suppliers
    FROM supplier
    WHERE TRUE
      /*[ AND s_acctbal >= :supplier_min_acctbal ]*/
    GROUP BY s_nationkey
)
SELECT
    r_name                    AS region,
    n_name                    AS nation,
    coalesce(c.customers, 0)  AS customers,
    coalesce(s.suppliers, 0)  AS suppliers,
    CASE
        WHEN c.nationkey IS NOT NULL AND s.nationkey IS NOT NULL THEN 'both'
        WHEN c.nationkey IS NOT NULL THEN 'customers only'
        WHEN s.nationkey IS NOT NULL THEN 'suppliers only'
        ELSE 'neither'
    END                       AS coverage
FROM customers AS c
FULL OUTER JOIN suppliers AS s
        ON s.nationkey = c.nationkey
RIGHT OUTER JOIN nation
        ON n_nationkey = c.nationkey
        OR n_nationkey = s.nationkey
JOIN region ON r_regionkey = n_regionkey
WHERE TRUE
  /*[ AND r_name = :region ]*/
ORDER BY region, nation
