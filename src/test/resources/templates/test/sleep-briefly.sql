-- The same rows as test/sleep, under a statement timeout of half a second
--
-- @param seconds numeric = 2 range 0..60
-- @timeout 500ms
SELECT * FROM {{test/sleep}} AS rows_after_sleep
