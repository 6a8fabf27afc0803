-- Binary floating point columns, with ties, nulls, infinities and NaN, for filter and cursor tests
--
-- r is a real (0.1 as a real is not 0.1 as a double precision); x is a double precision.
--
-- @sort id, r, x
-- @key id
SELECT id, r, x
FROM (VALUES
    (1, 0.1::real,         0.1::float8),
    (2, 0.1,               'Infinity'),
    (3, 2.5,               'NaN'),
    (4, NULL,              '-Infinity'),
    (5, 'Infinity',        0.1),
    (6, 0.1,               NULL),
    (7, 'NaN',             1e-300),
    (8, -1.5,              'NaN'),
    (9, '-Infinity',       'Infinity'),
    (10, 3.4e38,           -0.5)
) AS row_values (id, r, x)
