package dev.quarry.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.quarry.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Rollups built, refreshed by partition, failing, dropped by hand and rebuilt, on a sales table of the test's own. */
@QuarkusTest
@TestProfile(RollupBuildProfile.class)
class RollupRefresherTest {

    private static final RollupName MONTHLY = new RollupName("rollup/sales", "monthly");
    private static final RollupName YEARLY = new RollupName("rollup/sales", "yearly");
    private static final RollupName SHARES = new RollupName("rollup/shares", "by_region");
    /** The monthly rollup's rows as the template's grouping gives them, from the source: region, month, sum of amount, sales. */
    private static final String MONTHLY_FROM_SOURCE = "SELECT region, date_trunc('month', sold_on::timestamp), sum(amount), count(*)"
            + " FROM rollup_sales WHERE sold_on >= '2020-01-01' GROUP BY 1, 2 ORDER BY 1, 2";
    private static final String MONTHLY_FROM_ROLLUP = "SELECT * FROM quarry_rollup.\"rollup__sales__monthly\" ORDER BY 1, 2";

    @Inject
    RollupRefresher refresher;

    @Inject
    RollupStore store;

    @Inject
    RollupPlans plans;

    @Inject
    RollupSchedule schedule;

    @Inject
    MeterRegistry registry;

    @Inject
    Config config;

    @Inject
    Event<RollupStore.LostRollup> losses;

    @BeforeEach
    void salesOfThreeYears() throws SQLException {
        try (Connection connection = TestDatabase.connect()) {
            RollupStateTable.ensure(connection);
        }
        execute("DROP TABLE IF EXISTS rollup_sales",
                "DROP TABLE IF EXISTS quarry_rollup.\"rollup__sales__monthly\", quarry_rollup.\"rollup__sales__yearly\","
                        + " quarry_rollup.\"rollup__shares__by_region\"",
                "DELETE FROM quarry_rollup.built WHERE template LIKE 'rollup/%'",
                """
                        CREATE TABLE rollup_sales (region text, sold_on date, amount numeric(12, 2), divisor numeric DEFAULT 1,
                            changed_at timestamptz NOT NULL DEFAULT '2024-01-01')""",
                """
                        INSERT INTO rollup_sales (region, sold_on, amount)
                        SELECT (ARRAY['EUROPE', 'ASIA', 'AFRICA'])[1 + i % 3], date '2019-06-01' + (i % 1000), (i % 97) * 1.25
                        FROM generate_series(1, 3000) AS i""");
        store.reload();
    }

    @Test
    void aFullBuildHoldsTheGroupedRowsOfTheTemplate() throws SQLException {
        RefreshResult result = refresh(MONTHLY, true);

        assertThat(result.failure()).isEmpty();
        assertThat(rows(MONTHLY_FROM_ROLLUP)).isEqualTo(rows(MONTHLY_FROM_SOURCE)).hasSize(3 * 26);
        RollupState state = result.state().orElseThrow();
        assertThat(state.rows()).isEqualTo(78);
        assertThat(state.bytes()).isPositive();
        assertThat(state.changesUpto()).contains("2024-01-01 00:00:00+00");
        assertThat(
                rows("SELECT rows, definition, last_error FROM quarry_rollup.built WHERE template = 'rollup/sales' AND rollup = 'monthly'"))
                .containsExactly(List.of("78", state.definition(), "null"));
        assertThat(store.usable(declaration(MONTHLY))).contains(state);
        assertThat(result.describe()).startsWith("BUILT rollup/sales monthly: 78 rows, ");
    }

    @Test
    void aRefreshRebuildsOnlyThePartitionsWhoseRowsChanged() throws SQLException {
        refresh(MONTHLY, true);
        // a 2020 row changed without its change column: not rebuilt, so the rollup keeps the old sum
        execute("UPDATE rollup_sales SET amount = amount + 1000 WHERE sold_on = '2020-03-01'");
        // two sales of 2021 and one of 2022 changed as declared
        execute("UPDATE rollup_sales SET amount = amount + 1, changed_at = '2024-02-01' WHERE sold_on IN ('2021-05-03', '2021-07-04', '2022-01-10')");
        List<List<String>> before = rows(MONTHLY_FROM_ROLLUP);

        RefreshResult result = refresh(MONTHLY, false);

        assertThat(result.failure()).isEmpty();
        assertThat(result.partitions()).contains(2);
        assertThat(result.describe()).contains("2 changed partitions");
        List<List<String>> after = rows(MONTHLY_FROM_ROLLUP);
        List<List<String>> source = rows(MONTHLY_FROM_SOURCE);
        assertThat(yearOf(after, "2021")).isEqualTo(yearOf(source, "2021")).isNotEqualTo(yearOf(before, "2021"));
        assertThat(yearOf(after, "2022")).isEqualTo(yearOf(source, "2022"));
        assertThat(yearOf(after, "2020")).isEqualTo(yearOf(before, "2020")).isNotEqualTo(yearOf(source, "2020"));
        assertThat(result.state().orElseThrow().changesUpto()).contains("2024-02-01 00:00:00+00");

        RefreshResult unchanged = refresh(MONTHLY, false);
        assertThat(unchanged.partitions()).contains(0);
        assertThat(rows(MONTHLY_FROM_ROLLUP)).isEqualTo(after);
    }

    @Test
    void aNewPartitionIsBuiltAndARollupWithoutChangeColumnIsRebuiltWhole() throws SQLException {
        refresh(MONTHLY, true);
        refresh(YEARLY, true);
        execute("INSERT INTO rollup_sales (region, sold_on, amount, changed_at) VALUES ('ASIA', '2023-02-02', 5.50, '2024-03-01')");

        assertThat(refresh(MONTHLY, false).partitions()).contains(1);
        assertThat(rows(MONTHLY_FROM_ROLLUP)).isEqualTo(rows(MONTHLY_FROM_SOURCE))
                .contains(List.of("ASIA", "2023-02-01 00:00:00", "5.50", "1"));
        RefreshResult yearly = refresh(YEARLY, false);
        assertThat(yearly.partitions()).isEmpty();
        assertThat(rows("SELECT * FROM quarry_rollup.\"rollup__sales__yearly\" WHERE year = 2023"))
                .containsExactly(List.of("ASIA", "2023", "5.50"));
    }

    @Test
    void aRefreshThatFailsLeavesTheLastGoodRowsServingAndSaysWhy() throws SQLException {
        refresh(SHARES, true);
        List<List<String>> good = rows("SELECT * FROM quarry_rollup.\"rollup__shares__by_region\" ORDER BY 1");
        double failuresBefore = failures(SHARES);
        execute("UPDATE rollup_sales SET divisor = 0 WHERE sold_on = '2020-01-01'");

        RefreshResult failed = refresh(SHARES, true);

        assertThat(failed.failure()).hasValueSatisfying(reason -> assertThat(reason).contains("division by zero").doesNotContain("\n"));
        assertThat(failed.describe()).startsWith("FAILED rollup/shares by_region after ");
        assertThat(rows("SELECT * FROM quarry_rollup.\"rollup__shares__by_region\" ORDER BY 1")).isEqualTo(good);
        assertThat(rows("SELECT last_error IS NOT NULL, failed_at IS NOT NULL FROM quarry_rollup.built WHERE rollup = 'by_region'"))
                .containsExactly(List.of("t", "t"));
        assertThat(store.usable(declaration(SHARES))).hasValueSatisfying(state -> assertThat(state.lastError()).isPresent());
        assertThat(failures(SHARES)).isEqualTo(failuresBefore + 1);
        assertThat(rows("SELECT count(*) FROM pg_tables WHERE schemaname = 'quarry_rollup' AND tablename LIKE 'staging__%'"))
                .containsExactly(List.of("0"));
    }

    @Test
    void aSwapThatCannotGetItsLockFailsAfterTheLockTimeoutAndTheOldTableServes() throws Exception {
        refresh(MONTHLY, true);
        List<List<String>> good = rows(MONTHLY_FROM_ROLLUP);
        execute("UPDATE rollup_sales SET amount = 0");
        try (Connection reader = TestDatabase.connect(); Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            statement.execute("LOCK TABLE quarry_rollup.\"rollup__sales__monthly\" IN ACCESS SHARE MODE");

            RefreshResult failed = refresh(MONTHLY, true);

            assertThat(failed.failure()).hasValueSatisfying(reason -> assertThat(reason).contains("lock timeout"));
            assertThat(failed.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            reader.rollback();
        }
        assertThat(rows(MONTHLY_FROM_ROLLUP)).isEqualTo(good);
    }

    @Test
    void aTableDroppedByHandIsBuiltAgainWhenARequestTellsTheStore() throws Exception {
        refresh(MONTHLY, true);
        List<List<String>> good = rows(MONTHLY_FROM_ROLLUP);
        execute("DROP TABLE quarry_rollup.\"rollup__sales__monthly\"");

        store.lost(declaration(MONTHLY));

        assertThat(store.usable(declaration(MONTHLY))).isEmpty();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (store.usable(declaration(MONTHLY)).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(store.usable(declaration(MONTHLY))).isPresent();
        assertThat(rows(MONTHLY_FROM_ROLLUP)).isEqualTo(good);
    }

    @Test
    void theScheduleBuildsWhatIsMissingAndWhatIsDue() throws SQLException {
        assertThat(refresher.refresh(name -> true, true)).allMatch(RefreshResult::succeeded).hasSize(plans.all().size());
        execute("DROP TABLE quarry_rollup.\"rollup__sales__yearly\"");

        // the yearly table is gone and nothing else is due: nothing declares refresh every
        assertThat(schedule.refreshDue()).isEqualTo(1);
        assertThat(rows("SELECT count(*) FROM quarry_rollup.\"rollup__sales__yearly\"")).containsExactly(List.of("9"));
        assertThat(schedule.refreshDue()).isZero();
    }

    @Test
    void aRollupOlderThanItsFreshnessIsNotUsedUnlessStaleAnswersAreAllowed() {
        refresh(MONTHLY, true);
        refresh(YEARLY, true);
        RollupStore now = storeAt(Clock.systemUTC());
        RollupStore later = storeAt(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));

        assertThat(now.usable(declaration(MONTHLY))).isPresent();
        assertThat(later.usable(declaration(MONTHLY))).as("fresh for 1h, 2 hours old").isEmpty();
        assertThat(later.usable(declaration(YEARLY))).as("fresh for 1h, stale allowed").isPresent();
    }

    private RollupStore storeAt(Clock clock) {
        RollupStore at = new RollupStore(config, plans, losses, clock);
        at.reload();
        return at;
    }

    private RefreshResult refresh(RollupName name, boolean full) {
        List<RefreshResult> results = refresher.refresh(name::equals, full);
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    private dev.quarry.template.RollupDeclaration declaration(RollupName name) {
        return plans.plan(name).orElseThrow().declaration();
    }

    private double failures(RollupName name) {
        Timer timer = registry.find("quarry.rollup.refresh").tags("template", name.template(), "rollup", name.rollup(), "outcome", "failed")
                .timer();
        return timer == null ? 0 : timer.count();
    }

    private static List<List<String>> yearOf(List<List<String>> rows, String year) {
        return rows.stream().filter(row -> row.get(1).startsWith(year)).toList();
    }

    private static List<List<String>> rows(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(String.valueOf(rs.getString(i)));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static void execute(String... statements) throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
