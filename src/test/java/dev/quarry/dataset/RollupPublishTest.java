package dev.quarry.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.quarry.TestDatabase;
import dev.quarry.rollup.RollupBuildProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A load builds the declared rollups in the transaction that publishes the dataset, into a database of
 * its own on the test server: those over TPC-H ({@code rollup/orders} and the shipped ones), and those
 * over a table this database lacks, whose builds fail without stopping the load.
 */
@QuarkusTest
@TestProfile(RollupBuildProfile.class)
class RollupPublishTest {

    private static final String DATABASE = "quarry_rollup_publish_test";
    private static final String ROLLUP = "quarry_rollup.\"rollup__orders__monthly\"";

    @ConfigProperty(name = "quarry.embedded.port")
    int port;

    @Inject
    PublishStep rollups;

    private DatasetLoader loader;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void freshDatabase() throws SQLException {
        loader = FreshDatabase.loaderInto(DATABASE, port);
    }

    @Test
    void aLoadPublishesEachRollupWithTheDatasetItWasBuiltFrom() throws SQLException {
        LoadedDataset loaded = loader.load(ScaleFactor.parse("0.01"), false, progress::add, rollups);

        assertThat(query("SELECT sum(orders__count), sum(total__sum) = (SELECT sum(o_totalprice) FROM orders) FROM " + ROLLUP))
                .containsExactly(List.of("15000", "t"));
        assertThat(query("SELECT count(*) FROM " + ROLLUP)).isEqualTo(query(
                "SELECT count(DISTINCT (o_orderstatus, date_trunc('month', o_orderdate))) FROM orders"));
        assertThat(query("SELECT dataset_version = (SELECT loaded_at FROM quarry_dataset), rows > 0 FROM quarry_rollup.built"
                + " WHERE template = 'rollup/orders'")).containsExactly(List.of("t", "t"));
        assertThat(loaded.loadedAt()).isNotNull();
        // the rollups over a table this database lacks failed alone, and said so
        assertThat(progress).anyMatch(line -> line.matches("  rollup rollup/orders monthly: [0-9,]+ rows in .*"))
                .anyMatch(line -> line.startsWith("  rollup rollup/sales monthly FAILED: ") && line.contains("rollup_sales"));
        assertThat(query("SELECT count(*) FROM quarry_rollup.built WHERE template IN ('rollup/sales', 'rollup/shares')"))
                .containsExactly(List.of("0"));
        assertThat(query("SELECT count(*) FROM pg_tables WHERE schemaname = 'quarry_rollup' AND tablename ~ '^rollup__(sales|shares)'"))
                .containsExactly(List.of("0"));
    }

    @Test
    void aReaderSeesTheRollupOfTheDatasetItReadsAndAFailedLoadKeepsBoth() throws Exception {
        loader.load(ScaleFactor.parse("0.01"), false, progress::add, rollups);
        String consistent = "SELECT (SELECT count(*) FROM orders) = (SELECT sum(orders__count) FROM " + ROLLUP
                + "), (SELECT count(*) FROM orders)";
        AtomicBoolean loading = new AtomicBoolean(true);
        CompletableFuture<List<List<String>>> seen = CompletableFuture.supplyAsync(() -> {
            List<List<String>> readings = new ArrayList<>();
            try {
                while (loading.get()) {
                    readings.addAll(query(consistent));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return readings;
        });
        try {
            loader.load(ScaleFactor.parse("0.02"), false, progress::add, rollups);
        } finally {
            loading.set(false);
        }
        List<List<String>> readings = seen.get();
        assertThat(readings).isNotEmpty().allMatch(reading -> reading.get(0).equals("t"));
        assertThat(readings).extracting(reading -> reading.get(1)).contains("30000");

        // a view on lineitem makes the next publication fail: the dataset and its rollup stay as they were
        execute("CREATE VIEW shipped AS SELECT l_orderkey FROM lineitem");
        assertThatThrownBy(() -> loader.load(ScaleFactor.parse("0.01"), false, progress::add, rollups))
                .hasMessageContaining("the previous dataset, if any, is unchanged");
        assertThat(query(consistent)).containsExactly(List.of("t", "30000"));
        assertThat(query("SELECT bool_and(dataset_version = (SELECT loaded_at FROM quarry_dataset)) FROM quarry_rollup.built"))
                .containsExactly(List.of("t"));
    }

    private List<List<String>> query(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(DATABASE); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
