package dev.quarry.rollup;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.quarry.dataset.PublishStep;

/**
 * Every declared rollup built inside the transaction that publishes a dataset, from its new tables: a
 * reader sees the new dataset with its rollups, or the old one with theirs. A rollup whose build fails
 * there is dropped with its state (its old table would answer for the old data), says why, and the
 * template answers for it until a refresh builds it; the dataset is published all the same.
 */
@ApplicationScoped
class RollupPublication implements PublishStep {

    private static final Logger LOG = Logger.getLogger(RollupPublication.class);

    private final RollupPlans plans;
    private final RollupMeters meters;
    private final RollupSettings settings;

    RollupPublication(RollupPlans plans, RollupMeters meters, RollupSettings settings) {
        this.plans = plans;
        this.meters = meters;
        this.settings = settings;
    }

    @Override
    public void publish(Connection connection, Consumer<String> progress) throws SQLException {
        if (plans.all().isEmpty()) {
            return;
        }
        RollupStateTable.ensure(connection);
        RollupPlacement placement = RollupPlacement.of(connection, settings.referenceRows());
        for (RollupPlan plan : plans.all()) {
            long started = System.nanoTime();
            RollupRefresher.lockForTransaction(connection, plan.name());
            Savepoint before = connection.setSavepoint();
            try {
                RollupState state = new RollupBuild(connection, plan, settings.lockTimeout(), placement).full().state();
                connection.releaseSavepoint(before);
                meters.refresh(plan.name(), "full", "built", Duration.ofNanos(System.nanoTime() - started));
                progress.accept(
                        String.format("  rollup %s: %,d rows in %.1f s", plan.name(), state.rows(), (System.nanoTime() - started) / 1e9));
            } catch (SQLException | RuntimeException e) {
                connection.rollback(before);
                drop(connection, plan);
                meters.refresh(plan.name(), "full", "failed", Duration.ofNanos(System.nanoTime() - started));
                String reason = RollupRefresher.oneLine(e);
                LOG.errorf(
                        "Rollup %s: build failed while publishing the dataset, the template answers for it until a refresh builds it: %s",
                        plan.name(), reason);
                progress.accept("  rollup " + plan.name() + " FAILED: " + reason);
            }
        }
    }

    private static void drop(Connection connection, RollupPlan plan) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + plan.table());
        }
        RollupStateTable.forget(connection, plan.name());
    }
}
