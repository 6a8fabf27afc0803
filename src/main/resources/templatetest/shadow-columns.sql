-- The columns of a table's shadow in this case's temporary schema; no row when the name is not shadowed.
SELECT a.attname::text
FROM pg_attribute AS a
WHERE a.attrelid = to_regclass('pg_temp.' || quote_ident($1))
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
