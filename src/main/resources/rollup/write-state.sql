-- A good build's state, written in the transaction that swaps its table in: the row and the table agree.
INSERT INTO quarry_rollup.built AS b
    (template, rollup, table_name, definition, dataset_version, built_at, rows, bytes, changes_upto, last_error, failed_at)
VALUES (?, ?, ?, ?, ?, now(), ?, ?, ?, NULL, NULL)
ON CONFLICT (template, rollup) DO UPDATE SET
    table_name = excluded.table_name, definition = excluded.definition, dataset_version = excluded.dataset_version,
    built_at = excluded.built_at, rows = excluded.rows, bytes = excluded.bytes, changes_upto = excluded.changes_upto,
    last_error = NULL, failed_at = NULL
RETURNING built_at
