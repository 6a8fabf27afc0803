package dev.quarry.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.TestDatabase;
import dev.quarry.encode.MediaTypes;
import dev.quarry.execute.Catalog;
import dev.quarry.rollup.RefreshResult;
import dev.quarry.rollup.RollupRefresher;
import dev.quarry.rollup.RollupStore;
import dev.quarry.template.RollupDeclaration;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Requests of analysis/revenue-cube answered from its rollups, built by the refresher: the same bytes as
 * the template gives ({@code _rollup=off}) in every representation, the source in a header, the decision
 * in {@code _explain}, the meters, and a table dropped by hand answered from the template.
 */
@QuarkusTest
class RollupAnswersTest {

    private static final String CUBE = "/queries/analysis/revenue-cube";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RollupRefresher refresher;
    @Inject
    RollupStore store;
    @Inject
    Catalog catalog;

    @BeforeEach
    void built() {
        for (RefreshResult result : refresher.refresh(name -> name.template().equals("analysis/revenue-cube"), true)) {
            assertThat(result.failure()).as(result.describe()).isEmpty();
        }
    }

    private RollupDeclaration rollup(String name) {
        return catalog.find("analysis/revenue-cube").orElseThrow().template().header().rollups().stream()
                .filter(rollup -> rollup.name().equals(name)).findFirst().orElseThrow();
    }

    private static Response get(String accept, String query) {
        return given().accept(accept).when().get(CUBE + "?" + query).then().statusCode(200).extract().response();
    }

    @Test
    void everyRepresentationHasTheTemplatesBytes() {
        List<String> queries = List.of(
                "_group=region,year&_measures=revenue,quantity,avg_discount",
                "_group=nation&_measures=avg_discount,revenue&_sort=-revenue&_limit=7",
                "_group=category,ship_mode,month&_measures=quantity&since=1994-03-01&until=1995-07-01&_count=exact&_limit=5",
                "_group=segment,year&_measures=revenue&revenue__gte=1000000&_sort=year",
                "_measures=revenue,quantity,avg_discount&since=1996-01-01&until=1997-01-01",
                "_group=region,nation&_measures=orders,customers,revenue");
        for (String query : queries) {
            for (String accept : List.of("application/json", MediaTypes.NDJSON, MediaTypes.CSV)) {
                Response fromRollup = get(accept, query);
                Response fromTemplate = get(accept, query + "&_rollup=off");
                assertThat(fromRollup.header(AnswerHeaders.SOURCE)).as(query).startsWith("rollup analysis/revenue-cube ");
                assertThat(fromTemplate.header(AnswerHeaders.SOURCE)).isEqualTo("template");
                assertThat(fromRollup.asByteArray()).as("%s as %s", query, accept).isEqualTo(fromTemplate.asByteArray());
            }
            String events = get("text/event-stream", query).asString();
            String templateEvents = get("text/event-stream", query + "&_rollup=off").asString();
            // the end event says how long each took
            assertThat(withoutElapsed(events)).as(query).isEqualTo(withoutElapsed(templateEvents)).contains("event:row");
        }
    }

    private static String withoutElapsed(String events) {
        return events.replaceAll("\"elapsedMs\":\\d+", "");
    }

    @Test
    void theSmallestExactRollupAnswersAndSaysHowOldItIs() {
        String source = get("application/json", "_group=region,year&_measures=revenue").header(AnswerHeaders.SOURCE);
        assertThat(source).matches("rollup analysis/revenue-cube yearly; age=\\d+s");
        assertThat(get("application/json", "_group=category&_measures=revenue").header(AnswerHeaders.SOURCE))
                .startsWith("rollup analysis/revenue-cube monthly; age=");
        // a date off the yearly grain, on the monthly one
        assertThat(get("application/json", "_group=region&_measures=revenue&since=1995-03-01").header(AnswerHeaders.SOURCE))
                .startsWith("rollup analysis/revenue-cube monthly;");
        // off every grain: the template
        assertThat(get("application/json", "_group=region&_measures=revenue&since=1995-03-15").header(AnswerHeaders.SOURCE))
                .isEqualTo("template");
    }

    @Test
    void explainShowsTheDecisionAndEachRejection() throws Exception {
        JsonNode plan = JSON.readTree(get("application/json", "_group=region,year&_measures=revenue&_explain=true").asString());
        assertThat(plan.get("source").asText()).startsWith("rollup analysis/revenue-cube yearly;");
        assertThat(plan.get("sql").asText()).contains("quarry_rollup.\"analysis__revenue_cube__yearly\"");
        assertThat(plan.get("rejected").get("monthly").asText()).isEqualTo("answers exactly too, but yearly is smaller (5 grouping "
                + "columns against 9)");
        assertThat(plan.get("rejected").get("nations").asText()).isEqualTo("it does not keep dimension year");

        JsonNode none = JSON.readTree(get("application/json", "_group=region&_measures=orders&since=1995-03-15&_explain=true")
                .asString());
        assertThat(none.get("source").asText()).isEqualTo("template");
        assertThat(none.get("rejected").get("monthly").asText()).isEqualTo("it does not hold measure orders");
        assertThat(none.get("rejected").get("nations").asText()).startsWith("measure orders is exact only at its own grain (region, "
                + "nation)");
        assertThat(none.get("sql").asText()).doesNotContain("quarry_rollup");
    }

    @Test
    void aBadRollupSwitchIsRefused() {
        given().when().get(CUBE + "?_rollup=maybe").then().statusCode(400)
                .body("parameter", org.hamcrest.Matchers.equalTo("_rollup"));
    }

    @Test
    void hitsAndMissesAreCountedPerTemplate() {
        get("application/json", "_group=region,year&_measures=revenue");
        get("application/json", "_group=region,year&_measures=revenue&_rollup=off");
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("quarry_rollup_answers_total\\{[^}]*source=\"yearly\",template=\"analysis/revenue-cube\"[^}]*} [1-9]")
                .containsPattern("quarry_rollup_answers_total\\{[^}]*source=\"template\",template=\"analysis/revenue-cube\"[^}]*} [1-9]");
    }

    @Test
    void aTableDroppedByHandIsAnsweredFromTheTemplateAndBuiltAgain() throws Exception {
        String query = "_group=region,year&_measures=revenue,avg_discount";
        byte[] expected = get("application/json", query + "&_rollup=off").asByteArray();
        RollupDeclaration yearly = rollup("yearly");
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE " + yearly.table());
        }
        Response answered = get("application/json", query);
        assertThat(answered.header(AnswerHeaders.SOURCE)).isEqualTo("template");
        assertThat(answered.asByteArray()).isEqualTo(expected);
        // the store was told, and builds it again in the background
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (store.usable(yearly).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(store.usable(yearly)).isPresent();
        assertThat(get("application/json", query).header(AnswerHeaders.SOURCE)).startsWith("rollup analysis/revenue-cube yearly;");

        // a plan asked of the missing table is the template's
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE " + yearly.table());
        }
        JsonNode plan = JSON.readTree(get("application/json", query + "&_explain=true").asString());
        assertThat(plan.get("source").asText()).isEqualTo("template");
        assertThat(plan.get("sql").asText()).doesNotContain("quarry_rollup");
    }
}
