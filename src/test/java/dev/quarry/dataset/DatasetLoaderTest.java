package dev.quarry.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.quarry.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/** Loads into a database of its own on the test server, so the other tests' dataset stays as it is. */
@QuarkusTest
class DatasetLoaderTest {

    private static final String DATABASE = "quarry_loader_test";

    @ConfigProperty(name = "quarry.embedded.port")
    int port;

    private DatasetLoader loader;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void freshDatabase() throws SQLException {
        loader = FreshDatabase.loaderInto(DATABASE, port);
    }

    @Test
    void loadsEveryTableAtTheScaleAndRecordsIt() throws SQLException {
        LoadedDataset loaded = loader.load(ScaleFactor.parse("0.01"), false, progress::add);

        assertThat(loaded.scale()).isEqualByComparingTo("0.01");
        assertThat(count("lineitem")).isEqualTo(60_175);
        assertThat(count("orders")).isEqualTo(15_000);
        assertThat(count("customer")).isEqualTo(1_500);
        assertThat(count("part")).isEqualTo(2_000);
        assertThat(count("partsupp")).isEqualTo(8_000);
        assertThat(count("supplier")).isEqualTo(100);
        assertThat(count("nation")).isEqualTo(25);
        assertThat(count("region")).isEqualTo(5);
        assertThat(loaded.rows()).isEqualTo(60_175 + 15_000 + 1_500 + 2_000 + 8_000 + 100 + 25 + 5);
        assertThat(progress).anyMatch(line -> line.matches("\\s+lineitem\\s+60,175 rows .* rows/s\\s+done"));
        assertThat(progress.get(progress.size() - 1)).startsWith("Loaded TPC-H scale 0.01: 86,805 rows in ");
    }

    @Test
    void buildsTheCategoryTreeFromTheWordsOfPartType() throws SQLException {
        loader.load(ScaleFactor.parse("0.01"), false, progress::add);

        // dbgen's p_type is one of 6 x 5 x 5 syllable combinations
        assertThat(queryLong("SELECT count(*) FROM part_category WHERE depth = 1 AND parent_id IS NULL")).isEqualTo(6);
        assertThat(queryLong("SELECT count(*) FROM part_category WHERE depth = 2")).isEqualTo(30);
        assertThat(queryLong("SELECT count(*) FROM part_category WHERE depth = 3")).isEqualTo(150);
        assertThat(queryLong("SELECT count(*) FROM part_category c JOIN part_category p ON p.id = c.parent_id "
                + "WHERE c.path <> p.path || ' ' || c.name")).isZero();
        assertThat(queryLong("SELECT count(*) FROM part JOIN part_leaf_category l USING (p_partkey) "
                + "JOIN part_category c ON c.id = l.category_id WHERE c.path = p_type AND c.depth = 3")).isEqualTo(2_000);
    }

    @Test
    void loadingTheSameScaleAgainChangesNothing() throws SQLException {
        LoadedDataset first = loader.load(ScaleFactor.parse("0.01"), false, progress::add);
        LoadedDataset second = loader.load(ScaleFactor.parse("0.01"), false, progress::add);

        assertThat(second.loadedAt()).isEqualTo(first.loadedAt());
        assertThat(progress.get(progress.size() - 1)).contains("is already loaded").contains("nothing to do");
    }

    @Test
    void anotherScaleReplacesTheDataset() throws SQLException {
        loader.load(ScaleFactor.parse("0.01"), false, progress::add);
        LoadedDataset replaced = loader.load(ScaleFactor.parse("0.02"), false, progress::add);

        assertThat(replaced.scale()).isEqualByComparingTo(new BigDecimal("0.02"));
        assertThat(count("orders")).isEqualTo(30_000);
        assertThat(queryLong("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'quarry_load'")).isZero();
    }

    @Test
    void aLoadThatFailsHalfWayLeavesThePreviousDatasetInPlace() throws SQLException {
        loader.load(ScaleFactor.parse("0.01"), false, progress::add);
        // a view on lineitem makes the final swap fail after every table was generated and indexed
        execute("CREATE VIEW shipped AS SELECT l_orderkey FROM lineitem");

        assertThatThrownBy(() -> loader.load(ScaleFactor.parse("0.02"), false, progress::add))
                .hasMessageContaining("Loading TPC-H scale 0.02")
                .hasMessageContaining("the previous dataset, if any, is unchanged");

        assertThat(loader.current().orElseThrow().scale()).isEqualByComparingTo("0.01");
        assertThat(count("orders")).isEqualTo(15_000);
        assertThat(count("shipped")).isEqualTo(60_175);
        assertThat(queryLong("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'quarry_load'")).isZero();
    }

    private long count(String table) throws SQLException {
        return queryLong("SELECT count(*) FROM " + table);
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection connection = connect(DATABASE); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = connect(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private Connection connect(String database) throws SQLException {
        return TestDatabase.connect(database);
    }
}
