-- Shipping modes and order priority (TPC-H Q12)
--
-- Whether cheaper shipping modes delay urgent orders: per shipping mode, how many line items received
-- late in a year (though shipped on time) belonged to high and to low priority orders.
--
-- @param shipmodes text[] = MAIL,SHIP in 'REG AIR'|AIR|RAIL|SHIP|TRUCK|MAIL|FOB -- two different shipping modes
-- @param date date = 1994-01-01 range 1993-01-01..1997-01-01 -- first day of the year (January 1)
-- @sort l_shipmode, high_line_count, low_line_count
-- @key l_shipmode
-- @order l_shipmode
SELECT
    l_shipmode,
    sum(CASE WHEN o_orderpriority = '1-URGENT' OR o_orderpriority = '2-HIGH'
             THEN 1 ELSE 0 END) AS high_line_count,
    sum(CASE WHEN o_orderpriority <> '1-URGENT' AND o_orderpriority <> '2-HIGH'
             THEN 1 ELSE 0 END) AS low_line_count
FROM orders
JOIN lineitem ON l_orderkey = o_orderkey
WHERE l_shipmode = ANY(:shipmodes::text[])
  AND l_commitdate < l_receiptdate
  AND l_shipdate < l_commitdate
  AND l_receiptdate >= :date::date
  AND l_receiptdate < :date::date + interval '1 year'
GROUP BY l_shipmode
ORDER BY l_shipmode
