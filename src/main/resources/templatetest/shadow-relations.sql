-- Shadows every table, view and materialized view a template can name without a schema by an empty
-- temporary table of the same columns and defaults, for one test case's transaction. The temporary
-- schema is put first on the search path explicitly: PostgreSQL searches it first only while the
-- search path does not list it. NOT NULL is dropped so a case gives only the columns that matter;
-- ON COMMIT DROP and the case's ROLLBACK leave nothing behind. A name in two schemas of the path is
-- shadowed once, by the first, as PostgreSQL resolves it.
DO $shadow$
DECLARE
    relation record;
    not_null record;
BEGIN
    PERFORM set_config('search_path', 'pg_temp, ' || current_setting('search_path'), true);
    FOR relation IN
        SELECT DISTINCT ON (c.relname) c.oid, c.relname
        FROM pg_class AS c
        JOIN pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY (current_schemas(false))
          AND n.nspname NOT LIKE 'pg\_temp\_%'
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
        ORDER BY c.relname, array_position(current_schemas(false), n.nspname::text)
    LOOP
        EXECUTE format('CREATE TEMPORARY TABLE %I (LIKE %s INCLUDING DEFAULTS) ON COMMIT DROP',
                       relation.relname, relation.oid::regclass);
        FOR not_null IN
            SELECT a.attname
            FROM pg_attribute AS a
            WHERE a.attrelid = format('pg_temp.%I', relation.relname)::regclass
              AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull
        LOOP
            EXECUTE format('ALTER TABLE pg_temp.%I ALTER COLUMN %I DROP NOT NULL', relation.relname, not_null.attname);
        END LOOP;
    END LOOP;
END
$shadow$
