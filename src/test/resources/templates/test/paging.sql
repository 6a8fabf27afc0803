-- Pseudo-random rows with many ties and nulls, for keyset paging tests: each seed is another data set
--
-- a is an integer and b a text of a few distinct values each, both null in about :nulls percent of the
-- rows; id is the key. The values come from hashint4, so the same arguments give the same rows. b is
-- compared byte by byte (COLLATE "C") so that a test can sort it the same way in Java.
--
-- @param seed int = 1 range 0..1000000 -- picks the data set
-- @param rows int = 100 range 0..5000 -- how many rows
-- @param distinct int = 5 range 1..1000 -- how many distinct non-null values a and b take
-- @param nulls int = 20 range 0..100 -- the percentage of nulls in a and in b
-- @sort id, a, b
-- @key id
SELECT
    n AS id,
    CASE WHEN (hashint4(n # hashint4(:seed::int)) & 65535) % 100 < :nulls::int THEN NULL
         ELSE (hashint4(n # hashint4(:seed::int + 1)) & 65535) % :distinct::int
    END AS a,
    CASE WHEN (hashint4(n # hashint4(:seed::int + 2)) & 65535) % 100 < :nulls::int THEN NULL
         ELSE 'b' || (hashint4(n # hashint4(:seed::int + 3)) & 65535) % :distinct::int
    END COLLATE "C" AS b
FROM generate_series(1, :rows::int) AS n
