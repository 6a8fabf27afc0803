package dev.quarry.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

import dev.quarry.TestDatabase;
import dev.quarry.template.Template;
import dev.quarry.template.TemplateFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.pgclient.PgConnectOptions;

/**
 * deploy/sql/quarry-reader-role.sql, run against the embedded server the way psql would run it: the
 * role it creates reads every table, writes none, creates nothing, keeps reading the tables a later
 * load publishes, and is enough for Quarry's startup check of every template.
 */
@QuarkusTest
class ReaderRoleTest {

    private static final Path SCRIPT = Path.of("deploy/sql/quarry-reader-role.sql");
    private static final String READER = "quarry_reader_test";
    private static final String PASSWORD = "reader-test-password";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String READ_ONLY_TRANSACTION = "25006";

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarry.embedded.port")
    int port;

    @ConfigProperty(name = "quarry.embedded.database")
    String database;

    @BeforeEach
    void createRole() throws SQLException, IOException {
        dropRole();
        String script = psqlVariables(Files.readString(SCRIPT),
                Map.of("reader", READER, "reader_password", PASSWORD, "writer", "postgres", "database", database));
        try (Connection admin = TestDatabase.connect(); Statement statement = admin.createStatement()) {
            statement.execute(script);
        }
    }

    @AfterEach
    void dropRole() throws SQLException {
        try (Connection admin = TestDatabase.connect(); Statement statement = admin.createStatement()) {
            statement.execute("DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '" + READER + "') THEN "
                    + "DROP OWNED BY " + READER + "; DROP ROLE " + READER + "; END IF; END $$");
        }
    }

    @Test
    void readsEveryTableAndChangesNothing() throws SQLException {
        try (Connection reader = connectAsReader(); Statement statement = reader.createStatement()) {
            assertThat(single(statement, "SELECT count(*) FROM nation")).isEqualTo("25");
            assertThat(single(statement, "SELECT count(*) > 0 FROM lineitem")).isEqualTo("t");
            assertThat(single(statement, "SELECT scale FROM quarry_dataset WHERE name = 'tpch'")).isEqualTo("0.01");
            assertThat(single(statement, "SHOW default_transaction_read_only")).isEqualTo("on");
            assertThat(single(statement, "SHOW statement_timeout")).isEqualTo("65s");
            assertThat(single(statement, "SELECT rolsuper OR rolcreatedb OR rolcreaterole OR rolbypassrls FROM pg_roles "
                    + "WHERE rolname = current_user")).isEqualTo("f");

            // the role's default: read-only transactions
            assertFails(statement, "INSERT INTO region VALUES (9, 'ATLANTIS', 'x')", READ_ONLY_TRANSACTION);
            // a session can ask for read-write: then the grants stop it
            statement.execute("SET default_transaction_read_only = off");
            assertFails(statement, "INSERT INTO region VALUES (9, 'ATLANTIS', 'x')", INSUFFICIENT_PRIVILEGE);
            assertFails(statement, "UPDATE nation SET n_comment = 'x' WHERE n_nationkey = 1", INSUFFICIENT_PRIVILEGE);
            assertFails(statement, "DELETE FROM orders WHERE o_orderkey = 1", INSUFFICIENT_PRIVILEGE);
            assertFails(statement, "TRUNCATE lineitem", INSUFFICIENT_PRIVILEGE);
            assertFails(statement, "DROP TABLE region", INSUFFICIENT_PRIVILEGE);
            assertFails(statement, "ALTER TABLE region ADD COLUMN r_extra int", INSUFFICIENT_PRIVILEGE);
            assertFails(statement, "CREATE TABLE public.scratch (id int)", INSUFFICIENT_PRIVILEGE);
            assertFails(statement, "CREATE SCHEMA scratch", INSUFFICIENT_PRIVILEGE);
            assertFails(statement, "CREATE VIEW public.scratch AS SELECT 1", INSUFFICIENT_PRIVILEGE);
            assertFails(statement, "CREATE FUNCTION public.scratch() RETURNS int LANGUAGE sql AS 'SELECT 1'", INSUFFICIENT_PRIVILEGE);
        }
        try (Connection admin = TestDatabase.connect(); Statement statement = admin.createStatement()) {
            assertThat(single(statement, "SELECT count(*) FROM region")).isEqualTo("5");
        }
    }

    @Test
    void readsTheTablesALaterLoadPublishes() throws SQLException {
        // what a load does: build a table in a staging schema as the writer, then move it into public
        try (Connection admin = TestDatabase.connect(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA reader_role_staging");
            statement.execute("CREATE TABLE reader_role_staging.reader_role_published AS SELECT 42 AS answer");
            statement.execute("ALTER TABLE reader_role_staging.reader_role_published SET SCHEMA public");
            statement.execute("DROP SCHEMA reader_role_staging");
        }
        try (Connection reader = connectAsReader(); Statement statement = reader.createStatement()) {
            assertThat(single(statement, "SELECT answer FROM reader_role_published")).isEqualTo("42");
        } finally {
            try (Connection admin = TestDatabase.connect(); Statement statement = admin.createStatement()) {
                statement.execute("DROP TABLE public.reader_role_published");
            }
        }
    }

    @Test
    void readsTheRollupsAWriterBuildsLaterAndBuildsNone() throws SQLException {
        // what a rollup's build does, as the writer: a staging table renamed into the rollups' schema
        try (Connection admin = TestDatabase.connect(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE TABLE quarry_rollup.staging__reader_role_rollup AS SELECT 7 AS sales");
            statement.execute("ALTER TABLE quarry_rollup.staging__reader_role_rollup RENAME TO reader_role_rollup");
        }
        try (Connection reader = connectAsReader(); Statement statement = reader.createStatement()) {
            assertThat(single(statement, "SELECT sales FROM quarry_rollup.reader_role_rollup")).isEqualTo("7");
            assertFails(statement, "CREATE TABLE quarry_rollup.scratch (id int)", READ_ONLY_TRANSACTION);
        } finally {
            try (Connection admin = TestDatabase.connect(); Statement statement = admin.createStatement()) {
                statement.execute("DROP TABLE quarry_rollup.reader_role_rollup");
            }
        }
    }

    @Test
    void isEnoughForTheStartupCheckOfEveryTemplate() {
        PgConnectOptions options = new PgConnectOptions().setHost("localhost").setPort(port).setDatabase(database)
                .setUser(READER).setPassword(PASSWORD);
        PgConnection connection = PgConnection.connect(vertx, options).await().indefinitely();
        try {
            TemplateChecker checker = new TemplateChecker(connection);
            Map<String, Template> templates = TemplateFiles.load(Optional.of(Path.of("src/test/resources/templates")));
            assertThat(templates).containsKeys("tpch/q01", "analysis/revenue-cube", "test/restricted");
            for (Template template : templates.values()) {
                assertThat(checker.check(template)).as(template.name()).isNotEmpty();
            }
        } finally {
            connection.closeAndAwait();
        }
    }

    private Connection connectAsReader() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", READER);
        properties.setProperty("password", PASSWORD);
        return new Driver().connect("jdbc:postgresql://localhost:" + port + "/" + database, properties);
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    private static void assertFails(Statement statement, String sql, String sqlState) {
        assertThatThrownBy(() -> statement.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                .extracting(failure -> ((SQLException) failure).getSQLState()).isEqualTo(sqlState);
    }

    /**
     * psql's interpolation of {@code :'name'} (a literal) and {@code :"name"} (an identifier), the only
     * psql syntax the script uses; anything else psql-specific fails here rather than passing unread.
     */
    static String psqlVariables(String script, Map<String, String> variables) {
        assertThat(script).as("no psql meta-commands").doesNotContainPattern("(?m)^\\s*\\\\");
        Matcher matcher = Pattern.compile(":(['\"])([a-z_]+)\\1").matcher(script);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = variables.get(matcher.group(2));
            assertThat(value).as("variable " + matcher.group(2)).isNotNull();
            String quote = matcher.group(1);
            matcher.appendReplacement(out, Matcher.quoteReplacement(quote + value.replace(quote, quote + quote) + quote));
        }
        matcher.appendTail(out);
        assertThat(out.toString()).as("every variable interpolated").doesNotContainPattern(":[a-z_]+\\b(?![:(])");
        return out.toString();
    }
}
