-- Nations counted by region, name and whether they match a text, for injection tests of _group and _measures
--
-- @param text text = plain -- any text
-- @dimension region: r_name
-- @dimension nation: n_name
-- @dimension matched: matched
-- @measure nations: count(*)
-- @measure keys: sum(n_nationkey)
SELECT r_name, n_name, n_nationkey, n_name = :text::text OR strpos(n_comment, :text::text) > 0 AS matched
FROM nation
JOIN region ON r_regionkey = n_regionkey
