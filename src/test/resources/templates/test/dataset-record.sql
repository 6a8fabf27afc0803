-- The published dataset's record, kept for 5 minutes: for tests that a new publish makes kept answers unusable
--
-- @cache 5m
SELECT name, scale::text AS scale, loaded_at::text AS loaded_at FROM quarry_dataset
