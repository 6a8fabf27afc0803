package dev.quarry.rollup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.quarry.TestDatabase;
import dev.quarry.dataset.PublishStep;
import dev.quarry.http.AnswerHeaders;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The whole path: the step a load runs in its publish transaction builds the shipped rollups, and once
 * committed a request is answered from the table it built, with the template's bytes.
 */
@QuarkusTest
class RollupPublicationAnswerTest {

    private static final String REQUEST = "/queries/analysis/revenue-cube?_group=region,year&_measures=revenue,quantity,avg_discount";

    @Inject
    PublishStep publication;

    @Inject
    RollupStore store;

    @Test
    void aRequestIsAnsweredFromTheTableThePublicationBuilt() throws SQLException {
        List<String> progress = new ArrayList<>();
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS quarry_rollup.\"analysis__revenue_cube__yearly\"");
            connection.setAutoCommit(false);
            publication.publish(connection, progress::add);
            connection.commit();
            try (ResultSet rs = statement
                    .executeQuery("SELECT dataset_version = (SELECT loaded_at FROM quarry_dataset) FROM quarry_rollup.built"
                            + " WHERE template = 'analysis/revenue-cube' AND rollup = 'yearly'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).as("built for the published dataset").isTrue();
            }
        }
        assertThat(progress).anyMatch(line -> line.startsWith("  rollup analysis/revenue-cube yearly: "));
        store.reload();

        Response fromRollup = given().accept("application/json").when().get(REQUEST).then().statusCode(200).extract().response();
        Response fromTemplate = given().accept("application/json").when().get(REQUEST + "&_rollup=off").then().statusCode(200).extract()
                .response();

        assertThat(fromRollup.header(AnswerHeaders.SOURCE)).startsWith("rollup analysis/revenue-cube yearly");
        assertThat(fromTemplate.header(AnswerHeaders.SOURCE)).isEqualTo("template");
        assertThat(fromRollup.asString()).isEqualTo(fromTemplate.asString()).contains("\"region\"");
    }
}
