-- Customer distribution (TPC-H Q13)
--
-- How many customers have placed no order, one order, two orders and so on,
-- leaving out orders whose comment mentions special kinds of requests.
--
-- @param word1 text = special in special|pending|unusual|express -- first word of the excluded comments
-- @param word2 text = requests in packages|requests|accounts|deposits -- later word of the excluded comments
-- @sort c_count, custdist
-- @key c_count
-- @order -custdist, -c_count
SELECT
    c_count,
    count(*) AS custdist
FROM (
    SELECT
        c_custkey,
        count(o_orderkey)
    FROM customer
    LEFT OUTER JOIN orders
           ON o_custkey = c_custkey
          AND o_comment NOT LIKE ('%' || :word1 || '%' || :word2 || '%')
    GROUP BY c_custkey
) AS c_orders (c_custkey, c_count)
GROUP BY c_count
ORDER BY custdist DESC, c_count DESC
