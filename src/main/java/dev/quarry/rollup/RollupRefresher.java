package dev.quarry.rollup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.quarry.dataset.JdbcTarget;

/**
 * Refreshes rollups outside a load: for the {@code refresh} command, the schedule and a table found
 * missing. A rollup with a change column and a good table of its current definition gets only its changed
 * partitions rebuilt; any other is rebuilt whole. One build of a rollup runs at a time across every
 * process on the database (an advisory lock); another asking meanwhile is told so and skipped. A build
 * that fails leaves the last good table serving, says why in one log line and counts in
 * {@code quarry.rollup.refresh}.
 */
@ApplicationScoped
public class RollupRefresher {

    private static final Logger LOG = Logger.getLogger(RollupRefresher.class);
    /** The advisory locks' first key: "QR"; the second is the rollup's. */
    private static final int LOCK_CLASS = 0x5152;

    private final Config config;
    private final RollupPlans plans;
    private final RollupStore store;
    private final RollupMeters meters;
    private final RollupSettings settings;

    RollupRefresher(Config config, RollupPlans plans, RollupStore store, RollupMeters meters, RollupSettings settings) {
        this.config = config;
        this.plans = plans;
        this.store = store;
        this.meters = meters;
        this.settings = settings;
    }

    /** Refreshes every declared rollup {@code which} selects; {@code full} rebuilds each whole. In the order declared. */
    public List<RefreshResult> refresh(Predicate<RollupName> which, boolean full) {
        List<RefreshResult> results = new ArrayList<>();
        for (RollupPlan plan : plans.all()) {
            if (which.test(plan.name())) {
                results.add(refresh(plan, full));
            }
        }
        return results;
    }

    /** Every declared rollup, by name. */
    public List<RollupName> declared() {
        return plans.all().stream().map(RollupPlan::name).toList();
    }

    /** Whether this process's database role can build: a role whose sessions are read-only (the reader) cannot. */
    boolean canBuild() {
        try (Connection connection = JdbcTarget.of(config).connect();
                PreparedStatement readOnly = connection.prepareStatement("SELECT current_setting('transaction_read_only') = 'off'");
                ResultSet rs = readOnly.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    void rebuildLost(@ObservesAsync RollupStore.LostRollup lost) {
        plans.plan(lost.name()).ifPresent(plan -> refresh(plan, true));
    }

    RefreshResult refresh(RollupPlan plan, boolean full) {
        long started = System.nanoTime();
        String scope = "full";
        try (Connection connection = JdbcTarget.of(config).connect()) {
            RollupStateTable.ensure(connection);
            if (!tryLock(connection, plan.name())) {
                return new RefreshResult(plan.name(), since(started), Optional.empty(), Optional.empty(),
                        Optional.of("another build of it is running; it was left to that one"));
            }
            try {
                Optional<RollupState> last = full ? Optional.empty() : partitionable(connection, plan);
                scope = last.isPresent() ? "partitions" : "full";
                RollupBuild build = new RollupBuild(connection, plan, settings.lockTimeout(),
                        RollupPlacement.of(connection, settings.referenceRows()));
                RollupBuild.Result result = last.isPresent() ? build.changedPartitions(last.get()) : build.full();
                store.built(result.state());
                Duration took = since(started);
                meters.refresh(plan.name(), scope, "built", took);
                return new RefreshResult(plan.name(), took, Optional.of(result.state()), result.partitions(), Optional.empty());
            } finally {
                unlock(connection, plan.name());
            }
        } catch (SQLException | RuntimeException e) {
            return failed(plan, scope, started, e);
        }
    }

    private RefreshResult failed(RollupPlan plan, String scope, long started, Exception e) {
        Duration took = since(started);
        String reason = oneLine(e);
        OffsetDateTime at = OffsetDateTime.now();
        try (Connection connection = JdbcTarget.of(config).connect()) {
            at = RollupStateTable.failed(connection, plan.name(), reason);
        } catch (SQLException | RuntimeException recording) {
            // the log line and the meter still say it
        }
        store.failed(plan.name(), reason, at);
        meters.refresh(plan.name(), scope, "failed", took);
        Optional<RollupState> serving = store.state(plan.name());
        LOG.errorf("Rollup %s: refresh failed after %.1f s, %s: %s", plan.name(), took.toMillis() / 1000.0,
                serving.map(state -> "the table built at " + state.builtAt() + " keeps serving").orElse("no table serves it"), reason);
        return new RefreshResult(plan.name(), took, Optional.empty(), Optional.empty(), Optional.of(reason));
    }

    /** The last good build, if only its changed partitions need building: a change column, a table there, the same definition. */
    private static Optional<RollupState> partitionable(Connection connection, RollupPlan plan) throws SQLException {
        if (plan.partition().isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(RollupStateTable.readAll(connection).get(plan.name()))
                .filter(state -> state.definition().equals(plan.definition()) && state.changesUpto().isPresent());
    }

    private static boolean tryLock(Connection connection, RollupName name) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            lock.setInt(1, LOCK_CLASS);
            lock.setInt(2, name.hashCode());
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection connection, RollupName name) throws SQLException {
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            unlock.setInt(1, LOCK_CLASS);
            unlock.setInt(2, name.hashCode());
            unlock.execute();
        }
    }

    /** Waits for a build of the rollup in another process to finish, until the caller's transaction ends. */
    static void lockForTransaction(Connection connection, RollupName name) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
            lock.setInt(1, LOCK_CLASS);
            lock.setInt(2, name.hashCode());
            lock.execute();
        }
    }

    static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
