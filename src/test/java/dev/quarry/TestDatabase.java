package dev.quarry;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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

    /** What the service's sessions do other than wait for their next statement, as "state: query". */
    public static List<String> serviceActivity() {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT state || ': ' || query FROM pg_stat_activity "
                        + "WHERE application_name = 'quarry' AND state <> 'idle'")) {
            List<String> activity = new ArrayList<>();
            while (rs.next()) {
                activity.add(rs.getString(1));
            }
            return activity;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many of the service's sessions are in pg_sleep now (the slow test templates). */
    public static long serviceSleeping() {
        return serviceActivity().stream().filter(activity -> activity.startsWith("active: ") && activity.contains("pg_sleep")).count();
    }
}
