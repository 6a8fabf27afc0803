-- The plan cache mode of a template planned for each run's values
--
-- @plan custom
SELECT * FROM {{test/plan-cache-mode}} AS setting
