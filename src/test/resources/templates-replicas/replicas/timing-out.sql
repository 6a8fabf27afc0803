-- The rows of replicas/slow under a statement timeout of one second, kept for 5 minutes when they come
--
-- @param tag text -- any text, echoed
-- @param seconds numeric = 0 range 0..5 -- how long PostgreSQL sleeps before the first row
-- @cache 5m
-- @timeout 1s
SELECT * FROM {{replicas/slow}} AS rows_after_sleep
