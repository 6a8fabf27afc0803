package dev.quarry.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.quarry.TestDatabase;
import dev.quarry.template.ResultColumn;
import dev.quarry.template.Template;
import dev.quarry.template.TemplateLibrary;
import dev.quarry.template.TemplateParser;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgConnectOptions;

/**
 * The startup check of tenancy against the real database: the configured tables and columns found or
 * startup stopped with one line, and every relation a template reads found in PostgreSQL's own plan
 * (optional blocks, layers, grouped forms and parameters without defaults included), so that a
 * template reading a tenant-scoped table without binding :tenant stops startup with file:line.
 */
@QuarkusTest
class TenantCheckTest {

    private static final List<String> TPCH_TENANT_TABLES = List.of("customer.c_nationkey", "orders.o_custkey=customer.c_custkey",
            "lineitem.l_orderkey=orders.o_orderkey");

    private static final String READER = "quarry_tenant_check";

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarry.embedded.port")
    int port;

    @ConfigProperty(name = "quarry.embedded.database")
    String database;

    private SqlConnection connection;

    @BeforeEach
    void connect() {
        connection = pool.getConnection().await().indefinitely();
    }

    @AfterEach
    void close() {
        connection.closeAndAwait();
    }

    @Test
    void aTemplateThatReadsATenantTableWithoutTheTenantStopsAtItsFirstLine() {
        assertThatThrownBy(() -> check("t/leak", """
                -- Every order
                -- @param since date
                SELECT o_orderkey
                FROM orders WHERE o_orderdate >= :since
                """)).hasMessage("t/leak.sql:3: reads the tenant-scoped table orders but does not bind :tenant (outside optional "
                + "blocks): every run would read every tenant's rows");
    }

    @Test
    void aTableReadInAnOptionalBlockOrThroughAParameterWithoutDefaultIsFound() {
        // NULL bound to :min would let the planner drop the subquery: the generic plan keeps it
        assertThatThrownBy(() -> check("t/block", """
                -- Nations, of rich customers when asked
                -- @param min numeric optional
                SELECT n_name FROM nation
                WHERE true /*[ AND n_nationkey IN (SELECT c_nationkey FROM customer WHERE c_acctbal > :min) ]*/
                """)).hasMessageContaining("t/block.sql:3: reads the tenant-scoped table customer but");
        assertThatThrownBy(() -> check("t/union", """
                -- A name by key
                -- @param k int
                SELECT n_name AS name FROM nation WHERE n_nationkey = :k
                UNION ALL SELECT c_name FROM customer WHERE c_custkey = :k AND :k = 1
                """)).hasMessageContaining("reads the tenant-scoped table customer but");
    }

    @Test
    void aLayerAndAGroupedFormAreReadAsTheyRun() {
        Map<String, Template> library = TemplateLibrary.resolve(parsed("t/lines", """
                -- Line items
                SELECT l_orderkey, l_quantity FROM lineitem
                """, "t/parent", """
                -- Quantities of the line items
                SELECT sum(l_quantity) AS quantity FROM {{t/lines}} AS l
                """));
        assertThatThrownBy(() -> checker().check(library.get("t/parent")))
                .hasMessageContaining("t/parent.sql:2: reads the tenant-scoped table lineitem but");
        assertThatThrownBy(() -> check("t/grouped", """
                -- Nations grouped by how many orders there are
                -- @dimension region: n_regionkey
                -- @dimension orders: (SELECT count(*) FROM orders)
                -- @measure nations: count(*)
                SELECT n_regionkey, n_nationkey FROM nation
                """)).hasMessageContaining("t/grouped.sql:5: reads the tenant-scoped table orders but");
    }

    @Test
    void theTenantBoundOnlyInAnOptionalBlockIsNotBound() {
        assertThatThrownBy(() -> check("t/optional-tenant", """
                -- Customers, of the tenant when a segment is asked
                -- @param segment text optional
                SELECT c_custkey FROM customer
                WHERE true /*[ AND c_mktsegment = :segment AND c_nationkey = :tenant ]*/
                """)).hasMessageContaining("reads the tenant-scoped table customer but does not bind :tenant");
    }

    @Test
    void aTemplateThatBindsTheTenantOrReadsNoTenantTablePasses() {
        assertThat(check("t/mine", """
                -- The tenant's line items
                SELECT l.l_orderkey FROM lineitem AS l JOIN orders AS o ON o.o_orderkey = l.l_orderkey
                JOIN customer AS c ON c.c_custkey = o.o_custkey WHERE c.c_nationkey = :tenant
                """)).extracting(ResultColumn::name).containsExactly("l_orderkey");
        assertThat(check("t/nations", """
                -- Nations and regions
                SELECT n_name, r_name FROM nation JOIN region ON r_regionkey = n_regionkey
                """)).extracting(ResultColumn::name).containsExactly("n_name", "r_name");
    }

    @Test
    void theTenantMustBeReadAsTheClaimsType() {
        assertThatThrownBy(() -> new TemplateChecker(connection, scope(TPCH_TENANT_TABLES), Optional.of(dev.quarry.template.ParamType.TEXT))
                .check(template("t/typed", """
                        -- The tenant's customers
                        SELECT c_custkey FROM customer
                        WHERE c_nationkey = :tenant
                        """))).hasMessage("t/typed.sql:3: :tenant is the token's claim, a text, but PostgreSQL reads it as integer; "
                        + "cast it in the SQL, as :tenant::text");
    }

    @Test
    void configurationNamingAnUnknownTableOrColumnStopsWithOneLine() {
        assertThatThrownBy(() -> scope(List.of("customers.c_nationkey")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("quarry.tenant.tables: customers.c_nationkey names the table customers, which the database does not have "
                        + "(on its search path)");
        assertThatThrownBy(() -> scope(List.of("customer.c_nation")))
                .hasMessage("quarry.tenant.tables: customer.c_nation names the column c_nation, which customer does not have");
        assertThatThrownBy(() -> scope(List.of("orders.o_custkey=customer.c_custkey")))
                .hasMessage("quarry.tenant.tables: orders.o_custkey=customer.c_custkey finds its tenant through customer, which is "
                        + "not itself a tenant-scoped table in the list");
        assertThatThrownBy(() -> settings(List.of("orders"), Optional.empty()))
                .hasMessageStartingWith("quarry.tenant.tables: 'orders' is not table.column");
    }

    @Test
    void rowSecurityNeedsARoleThatCannotBypassPoliciesAndAPolicyOnEveryTable() throws SQLException {
        Optional<String> setting = Optional.of("quarry.tenant");
        // the tests' pool logs in as the superuser, whom no policy binds
        assertThatThrownBy(() -> TenantScope.resolve(connection, settings(TPCH_TENANT_TABLES, setting)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("quarry.tenant.row-security.setting is set, but Quarry connects as postgres, a superuser or a role with "
                        + "BYPASSRLS, which no policy applies to: connect as a role without either");
        try (Connection admin = TestDatabase.connect(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE ROLE " + READER + " LOGIN PASSWORD '" + READER + "' NOSUPERUSER NOBYPASSRLS");
            statement.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + READER);
        }
        PgConnection reader = PgConnection.connect(vertx, new PgConnectOptions().setHost("localhost").setPort(port).setDatabase(database)
                .setUser(READER).setPassword(READER)).await().indefinitely();
        try {
            // the TPC-H tables have no policies here
            assertThatThrownBy(() -> TenantScope.resolve(reader, settings(TPCH_TENANT_TABLES, setting)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("quarry.tenant.row-security.setting is set, but customer has row-level security off");
        } finally {
            reader.closeAndAwait();
            try (Connection admin = TestDatabase.connect(); Statement statement = admin.createStatement()) {
                statement.execute("DROP OWNED BY " + READER);
                statement.execute("DROP ROLE " + READER);
            }
        }
        assertThatThrownBy(() -> settings(TPCH_TENANT_TABLES, Optional.of("tenant; DROP TABLE orders")))
                .hasMessageContaining("is not a custom setting's name such as quarry.tenant");
    }

    private List<ResultColumn> check(String name, String text) {
        return checker().check(template(name, text));
    }

    private TemplateChecker checker() {
        return new TemplateChecker(connection, scope(TPCH_TENANT_TABLES), Optional.of(dev.quarry.template.ParamType.INT));
    }

    private TenantScope scope(List<String> tables) {
        return TenantScope.resolve(connection, settings(tables, Optional.empty()));
    }

    private static TenancySettings settings(List<String> tables, Optional<String> setting) {
        return new TenancySettings(Optional.of("nation"), "int", Optional.of(tables), setting);
    }

    private static Template template(String name, String text) {
        return TemplateLibrary.resolve(parsed(name, text)).get(name);
    }

    private static Map<String, Template> parsed(String... namesAndTexts) {
        Map<String, Template> parsed = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTexts.length; i += 2) {
            parsed.put(namesAndTexts[i], TemplateParser.parse(namesAndTexts[i], namesAndTexts[i] + ".sql", namesAndTexts[i + 1]));
        }
        return parsed;
    }
}
