package dev.quarry.rollup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.quarry.util.ClasspathText;

/** {@code quarry_rollup.built}, the state of every rollup's last good build, read and written over JDBC. */
final class RollupStateTable {

    private static final String WRITE = ClasspathText.read("rollup/write-state.sql");
    private static final String READ = ClasspathText.read("rollup/read-states.sql");

    private RollupStateTable() {
    }

    /** Creates the schema and the state table if they are not there. */
    static void ensure(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(ClasspathText.read("rollup/state.sql"));
        }
    }

    /** The state of every rollup with a table: those whose table is gone are left out, as if never built. */
    static Map<RollupName, RollupState> readAll(Connection connection) throws SQLException {
        Map<RollupName, RollupState> states = new HashMap<>();
        try (Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("SELECT to_regclass('quarry_rollup.built') IS NOT NULL")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    return states;
                }
            }
            try (ResultSet rs = statement.executeQuery(READ)) {
                while (rs.next()) {
                    if (rs.getBoolean("present")) {
                        RollupState state = read(rs);
                        states.put(state.name(), state);
                    }
                }
            }
        }
        return states;
    }

    private static RollupState read(ResultSet rs) throws SQLException {
        return new RollupState(new RollupName(rs.getString("template"), rs.getString("rollup")), rs.getString("definition"),
                Optional.ofNullable(rs.getObject("dataset_version", OffsetDateTime.class)), rs.getObject("built_at", OffsetDateTime.class),
                rs.getLong("rows"), rs.getLong("bytes"), Optional.ofNullable(rs.getString("changes_upto")),
                Optional.ofNullable(rs.getString("last_error")), Optional.ofNullable(rs.getObject("failed_at", OffsetDateTime.class)));
    }

    /** Records a good build, in the caller's transaction: built now, no error. */
    static RollupState write(Connection connection, RollupPlan plan, Optional<OffsetDateTime> datasetVersion, long rows, long bytes,
            Optional<String> changesUpto) throws SQLException {
        try (PreparedStatement write = connection.prepareStatement(WRITE)) {
            write.setString(1, plan.name().template());
            write.setString(2, plan.name().rollup());
            write.setString(3, plan.tableName());
            write.setString(4, plan.definition());
            write.setObject(5, datasetVersion.orElse(null), Types.TIMESTAMP_WITH_TIMEZONE);
            write.setLong(6, rows);
            write.setLong(7, bytes);
            write.setString(8, changesUpto.orElse(null));
            try (ResultSet rs = write.executeQuery()) {
                rs.next();
                return new RollupState(plan.name(), plan.definition(), datasetVersion, rs.getObject(1, OffsetDateTime.class), rows, bytes,
                        changesUpto, Optional.empty(), Optional.empty());
            }
        }
    }

    /** Records why a build failed beside the last good one, if there is one; the time it failed. */
    static OffsetDateTime failed(Connection connection, RollupName name, String error) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE quarry_rollup.built SET last_error = ?, failed_at = now() WHERE template = ? AND rollup = ? RETURNING failed_at")) {
            update.setString(1, error);
            update.setString(2, name.template());
            update.setString(3, name.rollup());
            try (ResultSet rs = update.executeQuery()) {
                return rs.next() ? rs.getObject(1, OffsetDateTime.class) : OffsetDateTime.now();
            }
        }
    }

    /** Forgets a rollup whose table was dropped. */
    static void forget(Connection connection, RollupName name) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM quarry_rollup.built WHERE template = ? AND rollup = ?")) {
            delete.setString(1, name.template());
            delete.setString(2, name.rollup());
            delete.executeUpdate();
        }
    }
}
