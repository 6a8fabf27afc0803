package dev.quarry.dataset;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.quarry.util.ClasspathText;

/**
 * The distributed layout of a load into a Citus coordinator: the cluster is checked before anything
 * is created, the staging tables are distributed while empty, and publishing runs in the mode Citus
 * needs. On a database without the citus extension every step is skipped.
 */
final class CitusLayout {

    private final boolean citus;

    private CitusLayout(boolean citus) {
        this.citus = citus;
    }

    static CitusLayout of(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus')")) {
            rs.next();
            return new CitusLayout(rs.getBoolean(1));
        }
    }

    boolean distributed() {
        return citus;
    }

    /**
     * Stops the load, before it creates anything, when the cluster cannot hold the layout: no worker,
     * a worker that cannot be reached, or a worker whose database lacks the citus extension.
     */
    void checkCluster(Connection connection) throws SQLException {
        if (!citus) {
            return;
        }
        int workers = 0;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(ClasspathText.read("dataset/citus-cluster.sql"))) {
            while (rs.next()) {
                workers++;
                String node = rs.getString("node");
                if (rs.getString("problem") != null) {
                    throw new IllegalStateException("Citus worker " + node + " cannot be reached (" + rs.getString("problem").strip()
                            + "): start it, or remove it on the coordinator with SELECT citus_remove_node(...), then load again");
                }
                if (rs.getInt("citus_extensions") == 0) {
                    throw new IllegalStateException(
                            "Citus worker " + node + " has no citus extension in database " + rs.getString("database")
                                    + ": run CREATE EXTENSION citus there as a superuser, then load again");
                }
            }
        }
        if (workers == 0) {
            throw new IllegalStateException("The Citus coordinator has no worker to hold shards: add each worker on the coordinator"
                    + " with SELECT citus_add_node('<host>', <port>), then load again");
        }
    }

    /** Distributes the staging tables, still empty, in the staging schema on the search path. */
    void distributeTables(Connection connection) throws SQLException {
        run(connection, "citus-layout.sql");
    }

    /** Makes the freshly built category tables reference tables. */
    void distributeCategories(Connection connection) throws SQLException {
        run(connection, "citus-categories.sql");
    }

    /** Prepares the publishing transaction. */
    void beforePublish(Connection connection) throws SQLException {
        run(connection, "citus-publish.sql");
    }

    private void run(Connection connection, String resource) throws SQLException {
        if (citus) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(ClasspathText.read("dataset/" + resource));
            }
        }
    }
}
