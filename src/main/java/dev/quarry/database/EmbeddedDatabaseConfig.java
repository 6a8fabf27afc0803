package dev.quarry.database;

import java.nio.file.Path;

import io.smallrye.config.ConfigMapping;

/** Where the embedded PostgreSQL keeps its data and which loopback port it listens on. */
@ConfigMapping(prefix = "quarry.embedded")
public interface EmbeddedDatabaseConfig {

    /** Loopback port of the embedded server; the default pool URL points here. */
    int port();

    /** The database the pool uses on that server, created on first use. */
    String database();

    /** Kept between runs, so the dataset is loaded once. */
    Path dataDirectory();
}
