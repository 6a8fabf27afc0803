-- All line items, in key order
--
-- Every row of lineitem, ordered by its key: the streaming benchmark's query
-- (src/test/bench/stream-benchmark.sh), compared with psql's COPY of the same statement.
--
-- @param shipped_before date optional -- only the line items shipped before this date
-- @sort l_orderkey, l_linenumber, l_shipdate
-- @key l_orderkey, l_linenumber
-- @order l_orderkey, l_linenumber
SELECT *
FROM lineitem
/*[ WHERE l_shipdate < :shipped_before::date ]*/
