-- The regions' names, under a short timeout: for the test of a plan that cannot be had
--
-- @timeout 1s
-- @sort r_name
-- @budget cost 1000
SELECT r_name FROM region
