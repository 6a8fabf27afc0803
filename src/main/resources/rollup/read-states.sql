-- Every rollup's last good build, and whether its table is still there (a table dropped by hand is not).
SELECT template, rollup, definition, dataset_version, built_at, rows, bytes, changes_upto, last_error, failed_at,
       to_regclass(format('quarry_rollup.%I', table_name)) IS NOT NULL AS present
FROM quarry_rollup.built
