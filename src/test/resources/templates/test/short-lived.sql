-- The tag a request gives and the time PostgreSQL read it, kept for 1 s: for tests of expiry
--
-- @param tag text -- any text, echoed
-- @cache 1s
SELECT :tag::text AS tag, clock_timestamp()::text AS read_at
