-- Fixed-width text, which PostgreSQL pads with spaces, with ties and a null, for cursor and filter tests
--
-- @sort id, code
-- @key id
SELECT id, code::char(4) COLLATE "C" AS code
FROM (VALUES
    (1, 'ab'::char(4)),
    (2, 'ab'),
    (3, 'b'),
    (4, 'abc'),
    (5, NULL),
    (6, 'b'),
    (7, 'a b')
) AS row_values (id, code)
