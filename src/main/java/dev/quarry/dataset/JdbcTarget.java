package dev.quarry.dataset;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import org.eclipse.microprofile.config.Config;

import io.vertx.pgclient.PgConnectOptions;

/**
 * The configured database, reached through JDBC: the reactive client has no COPY FROM STDIN, and
 * a bulk load (or a rollup's build) is a batch job, not a request. The coordinates are the pool's own, so a load goes
 * where the service reads.
 */
public record JdbcTarget(String url, String user, String password) {

    public static JdbcTarget of(Config config) {
        String uri = config.getValue("quarkus.datasource.reactive.url", String.class).replaceFirst("^vertx-reactive:", "");
        PgConnectOptions options = PgConnectOptions.fromUri(uri);
        String user = config.getOptionalValue("quarkus.datasource.username", String.class).orElse(options.getUser());
        String password = config.getOptionalValue("quarkus.datasource.password", String.class).orElse(options.getPassword());
        String url = "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
        return new JdbcTarget(url, user, password);
    }

    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "quarry-load");
        // the driver itself, not DriverManager: a second application in the same JVM (a test with
        // another profile) has its own class loader, whose driver DriverManager would not offer it
        return new org.postgresql.Driver().connect(url, properties);
    }

    @Override
    public String toString() {
        return url;
    }
}
