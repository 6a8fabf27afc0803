package dev.quarry.rollup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.quarry.dataset.DatasetLoader;
import dev.quarry.dataset.LoadedDataset;
import dev.quarry.render.RenderedQuery;
import dev.quarry.template.TimeGrain;

/**
 * One rollup built on one JDBC connection. Rows are written into a staging table, then swapped in:
 * the old table dropped, the staging one renamed, the state row written, in one transaction. Readers see
 * the old rows or the new ones; a build that fails before the swap commits leaves the old table serving.
 * A swap waits at most the lock timeout for readers of the old table, rather than queue every reader
 * behind it.
 * <p>
 * On a connection in autocommit the build makes its own transactions; inside a transaction (the
 * dataset's publication) it works in the caller's, which commits or rolls back.
 */
final class RollupBuild {

    private final Connection connection;
    private final RollupPlan plan;
    private final Duration lockTimeout;
    private final RollupPlacement placement;

    RollupBuild(Connection connection, RollupPlan plan, Duration lockTimeout, RollupPlacement placement) {
        this.connection = connection;
        this.plan = plan;
        this.lockTimeout = lockTimeout;
        this.placement = placement;
    }

    /** What a build did: the state it left, and how many partitions it rebuilt, if it rebuilt only some. */
    record Result(RollupState state, Optional<Integer> partitions) {
    }

    /** Every row built again. */
    Result full() throws SQLException {
        // read before the rows: a row arriving in between is rebuilt again by the next refresh, never missed
        Optional<String> changesUpto = changesUpto();
        String staging = staging();
        try {
            execute("DROP TABLE IF EXISTS " + staging);
            long rows = PreparedSql.createTable(connection, staging, plan.rows());
            // before it is placed: on Citus a statement after placing, in the publication's transaction, would
            // meet the coordinator's own placement of a reference table, which Citus refuses
            execute("ANALYZE " + staging);
            placement.place(connection, staging, rows, plan.keys());
            long bytes = placement.bytes(connection, staging);
            RollupState state = inTransaction(() -> {
                lockTimeout();
                execute("DROP TABLE IF EXISTS " + plan.table());
                execute("ALTER TABLE " + staging + " RENAME TO " + Sql.identifier(plan.tableName()));
                return RollupStateTable.write(connection, plan, datasetVersion(), rows, bytes, changesUpto);
            });
            return new Result(state, Optional.empty());
        } catch (SQLException | RuntimeException e) {
            dropStaging(staging);
            throw e;
        }
    }

    /**
     * Only the partitions holding a source row whose change column is above the last build's, each rebuilt
     * into the staging table and swapped for its old rows in a transaction of its own; the state last.
     */
    Result changedPartitions(RollupState last) throws SQLException {
        Optional<String> changesUpto = changesUpto();
        TimeGrain grain = plan.partition().orElseThrow().grain();
        List<LocalDate> changed = changedSince(last.changesUpto().orElseThrow(), grain);
        String staging = staging();
        String time = Sql.identifier(plan.timeColumn());
        try {
            for (LocalDate from : changed) {
                LocalDate until = grain.next(from);
                execute("DROP TABLE IF EXISTS " + staging);
                PreparedSql.createTable(connection, staging, plan.partitionRows(from, until));
                inTransaction(() -> {
                    lockTimeout();
                    try (PreparedStatement delete = connection
                            .prepareStatement("DELETE FROM " + plan.table() + " WHERE " + time + " >= ? AND " + time + " < ?")) {
                        delete.setObject(1, from, Types.DATE);
                        delete.setObject(2, until, Types.DATE);
                        delete.executeUpdate();
                    }
                    execute("INSERT INTO " + plan.table() + " SELECT * FROM " + staging);
                    execute("DROP TABLE " + staging);
                    return null;
                });
            }
            long rows = count();
            long bytes = placement.bytes(connection, plan.table());
            RollupState state = inTransaction(
                    () -> RollupStateTable.write(connection, plan, datasetVersion(), rows, bytes, changesUpto.or(last::changesUpto)));
            return new Result(state, Optional.of(changed.size()));
        } catch (SQLException | RuntimeException e) {
            dropStaging(staging);
            throw e;
        }
    }

    private List<LocalDate> changedSince(String changesUpto, TimeGrain grain) throws SQLException {
        String changes = Sql.identifier(plan.partition().orElseThrow().changes().orElseThrow());
        RenderedQuery body = plan.body();
        List<Object> values = new ArrayList<>(body.values());
        values.add(changesUpto);
        List<LocalDate> partitions = new ArrayList<>();
        for (String start : PreparedSql.texts(connection, new RenderedQuery("SELECT DISTINCT date_trunc('" + grain.field() + "', "
                + Sql.identifier(plan.timeColumn()) + "::timestamp)::date::text FROM (" + body.sql() + ") AS b WHERE " + changes + " > $"
                + values.size() + " ORDER BY 1", values, body.origins()))) {
            partitions.add(LocalDate.parse(start));
        }
        return partitions;
    }

    private Optional<String> changesUpto() throws SQLException {
        if (plan.partition().isEmpty()) {
            return Optional.empty();
        }
        RenderedQuery body = plan.body();
        String changes = Sql.identifier(plan.partition().get().changes().orElseThrow());
        List<String> max = PreparedSql.texts(connection,
                new RenderedQuery("SELECT max(" + changes + ")::text FROM (" + body.sql() + ") AS b", body.values(), body.origins()));
        return Optional.ofNullable(max.get(0));
    }

    private long count() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + plan.table())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Optional<OffsetDateTime> datasetVersion() throws SQLException {
        return DatasetLoader.current(connection).map(LoadedDataset::loadedAt);
    }

    private String staging() {
        String name = "staging__" + plan.tableName();
        // PostgreSQL cuts a name at 63 bytes; the prefix keeps the cut one apart from the table's
        return Sql.rollupTable(name.length() > 63 ? name.substring(0, 63) : name);
    }

    private void lockTimeout() throws SQLException {
        execute("SET LOCAL lock_timeout = " + Math.max(1, lockTimeout.toMillis()));
    }

    private void dropStaging(String staging) {
        try {
            if (connection.getAutoCommit()) {
                execute("DROP TABLE IF EXISTS " + staging);
            }
        } catch (SQLException e) {
            // the failure being reported matters more; the next build drops it first
        }
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        if (!connection.getAutoCommit()) {
            return work.run();
        }
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
