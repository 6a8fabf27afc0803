-- Numbered rows that fail part way, for tests of a stream that fails after its first batch
--
-- quotient divides by zero at row fail_at: with the default fetch size (500) the cursor's first
-- batch is read, and the second one fails in PostgreSQL.
--
-- @param rows int = 1200 range 1..100000
-- @param fail_at int = 700 range 1..100000
SELECT n, 1000 / (:fail_at - n) AS quotient
FROM generate_series(1, :rows) AS n
