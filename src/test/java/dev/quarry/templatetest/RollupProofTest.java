package dev.quarry.templatetest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.quarry.TestDatabase;
import dev.quarry.execute.Catalog;
import dev.quarry.execute.CheckedTemplate;
import dev.quarry.render.CursorCodec;
import dev.quarry.template.RollupDeclaration;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Every shipped rollup answers random requests byte for byte as its template does, and a wrong table is caught. */
@QuarkusTest
class RollupProofTest {

    @Inject
    Pool pool;
    @Inject
    Catalog catalog;
    @Inject
    CursorCodec cursors;

    private SqlConnection connection;

    @BeforeEach
    void connect() {
        connection = pool.getConnection().await().indefinitely();
    }

    @AfterEach
    void close() {
        connection.closeAndAwait();
    }

    @Test
    void everyShippedRollupAnswersAsItsTemplate() {
        int rollups = 0;
        for (CheckedTemplate checked : catalog.all()) {
            for (RollupDeclaration rollup : checked.template().header().rollups()) {
                RollupTables.build(checked.template(), rollup);
                RollupProof.Result result = new RollupProof(connection, cursors).prove(checked, rollup, 40, 27);
                assertThat(result.differences()).as(rollup.label()).isEmpty();
                assertThat(result.compared()).as("requests compared for %s, skipped: %s", rollup.label(), result.skipped())
                        .isGreaterThanOrEqualTo(30);
                rollups++;
            }
        }
        assertThat(rollups).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aTableThatDiffersFromItsTemplateIsReported() throws SQLException {
        CheckedTemplate cube = catalog.find("analysis/revenue-cube").orElseThrow();
        RollupDeclaration yearly = cube.template().header().rollups().stream().filter(rollup -> rollup.name().equals("yearly"))
                .findFirst().orElseThrow();
        RollupTables.build(cube.template(), yearly);
        try (Connection jdbc = TestDatabase.connect(); Statement statement = jdbc.createStatement()) {
            statement.execute("UPDATE " + yearly.table() + " SET revenue__sum = revenue__sum + 0.01 WHERE region = 'ASIA' AND year = 1995");
        }
        RollupProof.Result result = new RollupProof(connection, cursors).prove(cube, yearly, 40, 27);
        assertThat(result.differences()).isNotEmpty();
        assertThat(result.differences().get(0)).contains("JSON rows differ: row ");
        RollupTables.build(cube.template(), yearly);
    }
}
