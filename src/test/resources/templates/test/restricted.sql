-- The nations of one region, for analysts only: a template that declares the roles allowed to run it
--
-- @param region text = EUROPE
-- @roles analyst, auditor
-- @sort n_nationkey
-- @key n_nationkey
SELECT n_nationkey, n_name
FROM nation
JOIN region ON r_regionkey = n_regionkey
WHERE r_name = :region
