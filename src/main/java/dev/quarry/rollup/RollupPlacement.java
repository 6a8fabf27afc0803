package dev.quarry.rollup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import dev.quarry.util.ClasspathText;

/**
 * Where a rollup's table lives. On one PostgreSQL it is an ordinary table. On a Citus coordinator a
 * rollup small enough to copy to every node is a reference table, so a request reads it on any node and
 * joins nothing across nodes; a larger one is hash-distributed by the kept dimension or time column with
 * the most distinct values, so its shards spread evenly and an answer's grouping runs on the workers in parallel. Rollups
 * are read alone, never joined to the tables they were built from, so co-location with those would buy
 * nothing; distributed rollups share Citus' default co-location group with each other.
 */
final class RollupPlacement {

    private static final String DISTRIBUTE = ClasspathText.read("rollup/citus-distribute.sql");

    private final boolean citus;
    private final long referenceRows;

    private RollupPlacement(boolean citus, long referenceRows) {
        this.citus = citus;
        this.referenceRows = referenceRows;
    }

    /** The placement for the database behind {@code connection}: Citus if it has the extension. */
    static RollupPlacement of(Connection connection, long referenceRows) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus')")) {
            rs.next();
            return new RollupPlacement(rs.getBoolean(1), referenceRows);
        }
    }

    /** Places a table just built and analyzed with {@code rows} rows, to be distributed, if large, by one of its {@code keys}. */
    void place(Connection connection, String table, long rows, List<String> keys) throws SQLException {
        if (!citus) {
            return;
        }
        if (rows <= referenceRows) {
            try (PreparedStatement reference = connection.prepareStatement("SELECT create_reference_table(?)")) {
                reference.setString(1, table);
                reference.execute();
            }
            return;
        }
        try (PreparedStatement distribute = connection.prepareStatement(DISTRIBUTE)) {
            distribute.setString(1, table);
            distribute.setArray(2, connection.createArrayOf("text", keys.toArray()));
            distribute.execute();
        }
    }

    /**
     * Its size on disk, on every node that holds a part of it; 0 on Citus inside a transaction (the
     * publication of a dataset), where Citus measures nothing after the transaction changed shards.
     */
    long bytes(Connection connection, String table) throws SQLException {
        if (citus && !connection.getAutoCommit()) {
            return 0;
        }
        try (PreparedStatement size = connection.prepareStatement(
                citus ? "SELECT citus_total_relation_size(?::regclass)" : "SELECT pg_total_relation_size(?::regclass)")) {
            size.setString(1, table);
            try (ResultSet rs = size.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

}
