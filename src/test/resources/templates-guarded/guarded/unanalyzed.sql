-- The rows of a table that the test creates, fills and leaves without statistics
--
-- @param v int -- the value the rows hold
-- @budget rows 10000
SELECT id, v FROM guard_unanalyzed WHERE v = :v
