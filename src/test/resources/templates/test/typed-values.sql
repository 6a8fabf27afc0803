-- Twelve rows with a column of each type a filter reads, nulls in every column but id, for filter tests
--
-- label is compared byte by byte (COLLATE "C") so that a test can order it the same way in Java.
--
-- @sort id, n, big, amount, ratio, d, ts, flag, label
-- @key id
SELECT id, n, big, amount, ratio, d, ts, flag, label COLLATE "C" AS label
FROM (VALUES
    (1,  10::int, 5000000000::bigint,  10.50::numeric, 0.1::float8, date '2024-01-15', timestamp '2024-01-15 08:30:00',        true,  'apple'::text),
    (2,  -5,      -3,                  -3.25,          2.5,         date '2023-12-31', timestamp '2023-12-31 23:59:59.5',      false, 'banana'),
    (3,  10,      7,                   10.5,           -1.75,       date '2024-02-29', timestamp '2024-02-29 00:00:00',        true,  'Apricot'),
    (4,  NULL,    NULL,                NULL,           NULL,        NULL,              NULL,                                   NULL,  NULL),
    (5,  0,       5000000000,          0,              0.1,         date '2024-01-15', timestamp '2024-01-15 08:30:00.123456', NULL,  'pineapple'),
    (6,  42,      9000000000000000000, 99.99,          NULL,        date '2025-06-01', NULL,                                   false, 'O''Brien'),
    (7,  7,       0,                   NULL,           1e10,        NULL,              timestamp '2024-06-01 12:00:00',        true,  '50% off'),
    (8,  NULL,    12,                  0.001,          3.0,         date '2024-01-01', timestamp '2024-01-01 00:00:00',        false, 'under_score'),
    (9,  3,       NULL,                1000000.00,     -0.5,        date '2024-03-10', timestamp '2024-03-10 10:00:00',        NULL,  ''),
    (10, 10,      7,                   10.5,           2.5,         date '2024-01-15', timestamp '2024-01-15 08:30:00',        true,  'apple'),
    (11, 25,      -3,                  2.5,            0.1,         date '2023-06-30', timestamp '2023-06-30 18:45:00',        false, 'Ünïcödé ’quoted’'),
    (12, -100,    1,                   -0.01,          NULL,        date '2022-02-02', NULL,                                   true,  'cherry')
) AS row_values (id, n, big, amount, ratio, d, ts, flag, label)
