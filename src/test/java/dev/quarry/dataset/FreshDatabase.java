package dev.quarry.dataset;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import dev.quarry.TestDatabase;
import io.smallrye.config.SmallRyeConfigBuilder;

/** A database of a test's own on the embedded test server, made empty, and a loader that loads into it. */
final class FreshDatabase {

    private FreshDatabase() {
    }

    static DatasetLoader loaderInto(String database, int port) throws SQLException {
        try (Connection admin = TestDatabase.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        }
        return new DatasetLoader(new SmallRyeConfigBuilder().withDefaultValues(Map.of(
                "quarkus.datasource.reactive.url", "postgresql://localhost:" + port + "/" + database,
                "quarkus.datasource.username", "postgres")).build());
    }
}
