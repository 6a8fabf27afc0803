package dev.quarry.execute;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The tenant-scoped tables as the database knows them, resolved once at startup: each configured
 * table and column found (else startup stops with one line naming it), and every relation a plan
 * may show for it, its partitions included. With row-level security configured, also that the role
 * Quarry connects as cannot bypass the policies of any of them.
 */
final class TenantScope {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** EXPLAIN (GENERIC_PLAN), which plans a statement with its parameters unknown, exists from 16 on. */
    private static final int GENERIC_PLAN_VERSION = 160000;

    /** {@code schema.relation} as a plan names it, to the configured table it belongs to. */
    private final Map<String, String> relations;

    private TenantScope(Map<String, String> relations) {
        this.relations = relations;
    }

    static TenantScope none() {
        return new TenantScope(Map.of());
    }

    /** @throws ConfigurationException naming the first table, column or role that does not fit */
    static TenantScope resolve(SqlConnection connection, TenancySettings settings) {
        if (settings.tables().isEmpty()) {
            return none();
        }
        int version = Integer.parseInt(query(connection, "SHOW server_version_num", Tuple.tuple()).iterator().next().getString(0));
        if (version < GENERIC_PLAN_VERSION) {
            throw new ConfigurationException("quarry.tenant.tables needs PostgreSQL 16 or later: the check of what each template "
                    + "reads plans it with EXPLAIN (GENERIC_PLAN); this server is " + version);
        }
        if (settings.rowSecuritySetting().isPresent()) {
            checkRole(connection);
        }
        Map<TenantTable, String> oids = new LinkedHashMap<>();
        for (TenantTable table : settings.tables()) {
            oids.put(table, column(connection, table.table(), table.column(), table.toString()));
        }
        Map<String, String> relations = new LinkedHashMap<>();
        for (TenantTable table : settings.tables()) {
            if (table.through().isPresent()) {
                TenantTable.Column other = table.through().get();
                if (!oids.containsValue(column(connection, other.table(), other.column(), table.toString()))) {
                    throw new ConfigurationException("quarry.tenant.tables: " + table + " finds its tenant through " + other.table()
                            + ", which is not itself a tenant-scoped table in the list");
                }
            }
            // a plain table is no partition tree: pg_partition_tree lists nothing for it
            for (Row row : query(connection, "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n "
                    + "ON n.oid = c.relnamespace WHERE c.oid = $1::text::oid "
                    + "OR c.oid IN (SELECT relid FROM pg_partition_tree($1::text::oid::regclass))", Tuple.of(oids.get(table)))) {
                relations.put(row.getString(0), table.table());
            }
            settings.rowSecuritySetting().ifPresent(setting -> checkPolicies(connection, table.table(), oids.get(table)));
        }
        return new TenantScope(Map.copyOf(relations));
    }

    /** The table's oid, as text, once its column is found. */
    private static String column(SqlConnection connection, String table, String column, String entry) {
        String oid = query(connection, "SELECT to_regclass($1)::oid::text", Tuple.of(table)).iterator().next().getString(0);
        if (oid == null) {
            throw new ConfigurationException("quarry.tenant.tables: " + entry + " names the table " + table
                    + ", which the database does not have (on its search path)");
        }
        boolean found = query(connection, "SELECT 1 FROM pg_attribute WHERE attrelid = $1::text::oid AND attname = $2::text AND attnum > 0 "
                + "AND NOT attisdropped", Tuple.of(oid, column)).size() == 1;
        if (!found) {
            throw new ConfigurationException("quarry.tenant.tables: " + entry + " names the column " + column + ", which " + table
                    + " does not have");
        }
        return oid;
    }

    /** Row-level security enabled, a policy, and forced on an owner: else the policies do not apply to Quarry's role. */
    private static void checkPolicies(SqlConnection connection, String table, String oid) {
        Row row = query(connection, "SELECT c.relrowsecurity, c.relforcerowsecurity, c.relowner = (SELECT oid FROM pg_roles "
                + "WHERE rolname = current_user), EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid "
                + "AND p.polcmd IN ('r', '*') AND (0 = ANY (p.polroles) OR EXISTS (SELECT 1 FROM unnest(p.polroles) AS r(role) "
                + "WHERE pg_has_role(current_user, r.role, 'MEMBER')))) FROM pg_class c "
                + "WHERE c.oid = $1::text::oid", Tuple.of(oid)).iterator().next();
        if (!row.getBoolean(0) || !row.getBoolean(3)) {
            throw new ConfigurationException("quarry.tenant.row-security.setting is set, but " + table + " has "
                    + (row.getBoolean(0) ? "no policy for reading that applies to Quarry's role" : "row-level security off")
                    + ": apply the policies (ALTER TABLE ... ENABLE ROW LEVEL SECURITY and CREATE POLICY) after each load");
        }
        if (row.getBoolean(2) && !row.getBoolean(1)) {
            throw new ConfigurationException("quarry.tenant.row-security.setting is set, but Quarry's role owns " + table
                    + " and an owner bypasses its policies: connect as another role, or ALTER TABLE ... FORCE ROW LEVEL SECURITY");
        }
    }

    private static void checkRole(SqlConnection connection) {
        Row row = query(connection, "SELECT current_user::text, rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user",
                Tuple.tuple()).iterator().next();
        if (row.getBoolean(1)) {
            throw new ConfigurationException("quarry.tenant.row-security.setting is set, but Quarry connects as " + row.getString(0)
                    + ", a superuser or a role with BYPASSRLS, which no policy applies to: connect as a role without either");
        }
    }

    /** The configured table a relation of a plan ({@code schema.relation}) belongs to, if it is tenant-scoped. */
    Optional<String> table(String relation) {
        return Optional.ofNullable(relations.get(relation));
    }

    boolean isEmpty() {
        return relations.isEmpty();
    }

    private static RowSet<Row> query(SqlConnection connection, String sql, Tuple values) {
        return connection.preparedQuery(sql).execute(values).await().atMost(WAIT);
    }
}
