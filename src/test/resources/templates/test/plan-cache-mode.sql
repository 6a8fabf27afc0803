-- The plan cache mode a statement runs under
--
-- One row: PostgreSQL's plan_cache_mode for this statement, which a template leaves to PostgreSQL
-- (auto) unless it declares @plan custom.
SELECT current_setting('plan_cache_mode') AS plan_cache_mode
