package dev.quarry.dataset;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;

import dev.quarry.util.ClasspathText;
import io.trino.tpch.TpchTable;

/**
 * Loads TPC-H at a scale factor into the configured database, atomically: everything is built in a
 * staging schema and published in one transaction, so readers see the old dataset or the new one,
 * and a load that fails half-way leaves the old one in place. Into a Citus coordinator it makes the
 * distributed layout of {@link CitusLayout} first.
 */
@Singleton
public class DatasetLoader {

    private static final String DATASET = "tpch";
    /** Tables whose generation is split across workers; the others are small. */
    private static final List<String> SPLIT_TABLES = List.of("lineitem", "orders", "partsupp");
    private static final long LOAD_LOCK = 0x5155_4152_5259L; // "QUARRY"

    private final Config config;

    DatasetLoader(Config config) {
        this.config = config;
    }

    /** The dataset the database has published, if any. */
    public Optional<LoadedDataset> current() {
        try (Connection connection = target().connect()) {
            return current(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the loaded dataset from " + target() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads the scale unless it is already there; {@code force} loads it again. A heap too small for the
     * generator is refused before anything is written, with a message saying what to set.
     *
     * @return the dataset now published
     */
    public LoadedDataset load(ScaleFactor scale, boolean force, Consumer<String> progress) {
        return load(scale, force, progress, PublishStep.NONE);
    }

    /** As {@link #load(ScaleFactor, boolean, Consumer)}, with {@code step} run in the publish transaction after the dataset's own work. */
    public LoadedDataset load(ScaleFactor scale, boolean force, Consumer<String> progress, PublishStep step) {
        JdbcTarget target = target();
        try (Connection coordinator = target.connect()) {
            Optional<LoadedDataset> loaded = current(coordinator);
            if (!force && loaded.isPresent() && loaded.get().scale().compareTo(scale.value()) == 0) {
                progress.accept("TPC-H scale " + scale + " is already loaded in " + target + "; nothing to do");
                return loaded.get();
            }
            LoadHeap heap = LoadHeap.of(workers());
            if (!heap.suffices()) {
                throw new HeapTooSmallException(heap);
            }
            if (!tryLock(coordinator)) {
                throw new IllegalStateException("Another load is running on " + target + "; wait for it to finish");
            }
            try {
                return loadLocked(coordinator, target, scale, progress, step);
            } catch (SQLException | RuntimeException e) {
                execute(coordinator, "DROP SCHEMA IF EXISTS quarry_load CASCADE");
                throw e;
            } finally {
                execute(coordinator, "SELECT pg_advisory_unlock(" + LOAD_LOCK + ")");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Loading TPC-H scale " + scale + " into " + target + " failed: " + e.getMessage()
                    + "; the previous dataset, if any, is unchanged", e);
        }
    }

    private LoadedDataset loadLocked(Connection coordinator, JdbcTarget target, ScaleFactor scale, Consumer<String> progress,
            PublishStep step) throws SQLException {
        long started = System.nanoTime();
        CitusLayout citus = CitusLayout.of(coordinator);
        citus.checkCluster(coordinator);
        progress.accept("Loading TPC-H scale " + scale + " into " + target + (citus.distributed() ? " (Citus, distributed)" : ""));
        execute(coordinator, "DROP SCHEMA IF EXISTS quarry_load CASCADE");
        execute(coordinator, "CREATE SCHEMA quarry_load");
        execute(coordinator, "SET search_path = quarry_load");
        execute(coordinator, ClasspathText.read("dataset/tpch-tables.sql"));
        citus.distributeTables(coordinator);

        Map<String, Long> rowCounts = copyTables(target, scale, progress);

        long keysStarted = System.nanoTime();
        execute(coordinator, ClasspathText.read("dataset/tpch-keys.sql"));
        execute(coordinator, ClasspathText.read("dataset/part-category.sql"));
        citus.distributeCategories(coordinator);
        execute(coordinator, "ANALYZE");
        progress.accept(String.format("  keys, indexes, categories and statistics in %.1f s", seconds(keysStarted)));

        BigDecimal loadSeconds = BigDecimal.valueOf(seconds(started)).setScale(1, RoundingMode.HALF_UP);
        coordinator.setAutoCommit(false);
        try {
            execute(coordinator, "SET LOCAL search_path = public");
            citus.beforePublish(coordinator);
            execute(coordinator, ClasspathText.read("dataset/publish.sql"));
            try (PreparedStatement record = coordinator.prepareStatement(
                    "INSERT INTO quarry_dataset (name, scale, row_counts, load_seconds) VALUES (?, ?, ?::jsonb, ?) "
                            + "ON CONFLICT (name) DO UPDATE SET scale = excluded.scale, row_counts = excluded.row_counts, "
                            + "load_seconds = excluded.load_seconds, loaded_at = now()")) {
                record.setString(1, DATASET);
                record.setBigDecimal(2, scale.value());
                record.setString(3, toJson(rowCounts));
                record.setBigDecimal(4, loadSeconds);
                record.executeUpdate();
            }
            step.publish(coordinator, progress);
            coordinator.commit();
        } catch (SQLException e) {
            coordinator.rollback();
            throw e;
        } finally {
            coordinator.setAutoCommit(true);
        }
        long total = rowCounts.values().stream().mapToLong(Long::longValue).sum();
        progress.accept(String.format("Loaded TPC-H scale %s: %,d rows in %.1f s", scale, total, seconds(started)));
        return current(coordinator).orElseThrow();
    }

    private Map<String, Long> copyTables(JdbcTarget target, ScaleFactor scale, Consumer<String> progress) throws SQLException {
        int workers = workers();
        Map<String, TableProgress> tables = new LinkedHashMap<>();
        List<Future<?>> parts = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers, named("quarry-load"));
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(named("quarry-load-progress"));
        try {
            // largest first, so the small tables fill the gaps at the end
            for (TpchTable<?> table : List.of(TpchTable.LINE_ITEM, TpchTable.ORDERS, TpchTable.PART_SUPPLIER, TpchTable.PART,
                    TpchTable.CUSTOMER, TpchTable.SUPPLIER, TpchTable.NATION, TpchTable.REGION)) {
                int partCount = SPLIT_TABLES.contains(table.getTableName()) ? workers : 1;
                TableProgress tableProgress = new TableProgress(table.getTableName(), partCount, progress);
                tables.put(table.getTableName(), tableProgress);
                for (int part = 1; part <= partCount; part++) {
                    int thisPart = part;
                    parts.add(pool.submit(() -> {
                        try (Connection connection = target.connect()) {
                            tableProgress.started();
                            TableCopy.copy(connection, table, scale, thisPart, partCount, tableProgress.rows());
                            tableProgress.partDone();
                        }
                        return null;
                    }));
                }
            }
            reporter.scheduleAtFixedRate(() -> tables.values().forEach(TableProgress::reportIfRunning), 5, 5, TimeUnit.SECONDS);
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            reporter.shutdownNow();
            pool.shutdownNow();
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        tables.forEach((name, table) -> counts.put(name, table.rows().get()));
        return counts;
    }

    /** The dataset published as {@code connection} sees it: inside a publish transaction, the one being published. */
    public static Optional<LoadedDataset> current(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet exists = statement.executeQuery("SELECT to_regclass('public.quarry_dataset') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return Optional.empty();
            }
        }
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT scale, (SELECT sum(value::bigint) FROM jsonb_each_text(row_counts)), load_seconds, loaded_at FROM public.quarry_dataset WHERE name = ?")) {
            query.setString(1, DATASET);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LoadedDataset(rs.getBigDecimal(1), rs.getLong(2), rs.getBigDecimal(3),
                        rs.getObject(4, OffsetDateTime.class)));
            }
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT pg_try_advisory_lock(" + LOAD_LOCK + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String toJson(Map<String, Long> counts) {
        StringBuilder json = new StringBuilder("{");
        counts.forEach((name, rows) -> json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":").append(rows));
        return json.append('}').toString();
    }

    private static int workers() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    private JdbcTarget target() {
        return JdbcTarget.of(config);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
