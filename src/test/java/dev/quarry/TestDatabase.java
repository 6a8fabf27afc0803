package dev.quarry;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import org.eclipse.microprofile.config.ConfigProvider;
import org.postgresql.Driver;

/**
 * JDBC connections to the embedded test server, for tests that look at the database beside the
 * service. Through the driver itself: DriverManager only offers drivers registered by the first
 * application's class loader, and a test profile starts a second one.
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    /** A connection to a database of the embedded test server, as its superuser. */
    public static Connection connect(String database) throws SQLException {
        int port = ConfigProvider.getConfig().getValue("quarry.embedded.port", Integer.class);
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        return new Driver().connect("jdbc:postgresql://localhost:" + port + "/" + database, properties);
    }

    /** A connection to the database the service uses. */
    public static Connection connect() throws SQLException {
        return connect(ConfigProvider.getConfig().getValue("quarry.embedded.database", String.class));
    }
}
