package dev.quarry.blackbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.SseClient;
import dev.quarry.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class QueryStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Inject
    MeterRegistry registry;

    @Test
    void sseCarriesMetaEveryRowAndEndWithTheCountOfTheJsonPage() throws IOException {
        int jsonRows = given().when().get("/queries/tpch/q10?_limit=10000").then().statusCode(200)
                .extract().path("rows.size()");
        try (SseClient client = new SseClient(base, "/queries/tpch/q10")) {
            assertEquals(200, client.status);
            assertThat(client.contentType).startsWith("text/event-stream");
            List<SseClient.Event> events = client.rest();
            assertThat(events.get(0).name()).isEqualTo("meta");
            JsonNode meta = JSON.readTree(events.get(0).data());
            assertThat(meta.get("columns").get(0).get("name").asText()).isEqualTo("c_custkey");
            List<SseClient.Event> rows = events.stream().filter(event -> event.name().equals("row")).toList();
            assertThat(rows).hasSize(jsonRows);
            // q10 is keyed by c_custkey: each row's id is the cursor to resume after it
            assertThat(rows.stream().map(SseClient.Event::id).distinct()).hasSize(jsonRows).allMatch(id -> id.contains("."));
            SseClient.Event end = events.get(events.size() - 1);
            assertThat(end.name()).isEqualTo("end");
            assertThat(JSON.readTree(end.data()).get("rows").asInt()).isEqualTo(jsonRows);
        }
    }

    @Test
    void anSseClientResumesAfterTheLastRowItSawWithLastEventId() throws IOException {
        List<SseClient.Event> all;
        try (SseClient client = new SseClient(base, "/queries/test/many-rows?rows=50")) {
            all = client.rest().stream().filter(event -> event.name().equals("row")).toList();
        }
        assertThat(all).hasSize(50);
        String seenUpTo = all.get(19).id();
        try (SseClient resumed = new SseClient(base, "/queries/test/many-rows?rows=50", seenUpTo)) {
            List<SseClient.Event> rest = resumed.rest().stream().filter(event -> event.name().equals("row")).toList();
            assertThat(rest).hasSize(30);
            assertThat(JSON.readTree(rest.get(0).data()).get("n").asInt()).isEqualTo(21);
            assertThat(rest.stream().map(SseClient.Event::id)).isEqualTo(all.subList(20, 50).stream().map(SseClient.Event::id).toList());
        }
    }

    @Test
    void aTamperedLastEventIdIsA400() {
        given().accept("text/event-stream").header("Last-Event-ID", "WzEwXQ.AAAA")
                .when().get("/queries/test/many-rows?rows=50")
                .then().statusCode(400).contentType("application/problem+json")
                .body("parameter", equalTo("_after"));
    }

    @Test
    void ndjsonAndCsvCarryTheSameRowsAsJson() throws IOException {
        String json = given().when().get("/queries/test/many-rows?rows=1500&_limit=10000").then().statusCode(200)
                .extract().asString();
        JsonNode page = JSON.readTree(json).get("rows");
        String ndjson = given().accept("application/x-ndjson").when().get("/queries/test/many-rows?rows=1500")
                .then().statusCode(200).extract().asString();
        List<String> lines = ndjson.lines().toList();
        assertThat(lines).hasSize(1500);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(JSON.readTree(lines.get(i))).isEqualTo(page.get(i));
        }
        String csv = given().accept("text/csv").when().get("/queries/test/many-rows?rows=1500")
                .then().statusCode(200).extract().asString();
        List<String> records = csv.lines().toList();
        assertThat(records.get(0)).isEqualTo("n,label,amount");
        assertThat(records).hasSize(1501);
        assertThat(records.get(1500)).isEqualTo("1500,row 1500,1875.00");
        assertThat(page.get(1499).get("amount").decimalValue()).isEqualByComparingTo("1875.00");
    }

    @Test
    void ndjsonAndCsvWriteOneLinePerRowAcrossTheCursorsBatches() {
        // 1,000 rows are two full batches of the default fetch size (500) and an empty last one
        String ndjson = given().accept("application/x-ndjson").when().get("/queries/test/many-rows?rows=1000")
                .then().statusCode(200).extract().asString();
        assertThat(ndjson).startsWith("{\"n\":1,\"label\":\"row 1\",\"amount\":1.25}\n{\"n\":2,")
                .endsWith("\n{\"n\":1000,\"label\":\"row 1000\",\"amount\":1250.00}\n")
                .doesNotContain("\n\n").doesNotContain("\n ");
        assertThat(ndjson.split("\n", -1)).hasSize(1001);
        String csv = given().accept("text/csv").when().get("/queries/test/many-rows?rows=1000")
                .then().statusCode(200).extract().asString();
        assertThat(csv.split("\n", -1)).hasSize(1002);
        assertThat(csv).endsWith("\n999,row 999,1248.75\n1000,row 1000,1250.00\n").doesNotContain("\r");
        assertThat(given().accept("application/x-ndjson").when().get("/queries/test/many-rows?rows=0")
                .then().statusCode(200).extract().asString()).isEmpty();
        assertThat(given().accept("text/csv").when().get("/queries/test/many-rows?rows=0")
                .then().statusCode(200).extract().asString()).isEqualTo("n,label,amount\n");
    }

    @Test
    void numbersKeepTheirExactDecimals() {
        String body = given().when().get("/queries/test/many-rows?rows=3").then().statusCode(200).extract().asString();
        assertThat(body).contains("\"amount\":1.25}").contains("\"amount\":2.50}").contains("\"amount\":3.75}");
    }

    @Test
    void heartbeatCommentsKeepAQuietStreamAlive() throws IOException {
        try (SseClient client = new SseClient(base, "/queries/test/sleep?seconds=2.5")) {
            List<SseClient.Event> events = client.rest();
            assertThat(client.comments).contains("heartbeat");
            assertThat(events.stream().map(SseClient.Event::name)).containsExactly("meta", "row", "row", "row", "end");
        }
    }

    @Test
    void disconnectingStopsTheQueryInPostgresAndGivesTheConnectionBack() throws Exception {
        try (SseClient client = new SseClient(base, "/queries/test/slow-aggregate?seconds=2")) {
            assertThat(client.next().name()).isEqualTo("meta");
            awaitRunning("pg_sleep", Duration.ofSeconds(5));
        }
        // the aggregate would run 20 s; the cancel request must stop it at once
        awaitNoQueryOfTheService(Duration.ofSeconds(5));
        awaitPoolIdle(Duration.ofSeconds(5));
        given().when().get("/queries/test/sleep").then().statusCode(200).body("rows.size()", equalTo(3));
    }

    @Test
    void disconnectingWhileRowsFlowGivesEveryConnectionBack() throws Exception {
        for (int client = 0; client < 5; client++) {
            try (SseClient sse = new SseClient(base, "/queries/test/many-rows?rows=1000000")) {
                assertThat(sse.next().name()).isEqualTo("meta");
                for (int row = 0; row < 100 * (client + 1); row++) {
                    assertThat(sse.next().name()).isEqualTo("row");
                }
            }
        }
        awaitNoQueryOfTheService(Duration.ofSeconds(5));
        awaitPoolIdle(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(strings = { "application/json", "text/event-stream", "application/x-ndjson", "text/csv" })
    void aBadParameterIsA400BeforeAnyByteOfTheStream(String accept) {
        given().accept(accept).when().get("/queries/tpch/q03?segment=SPACESHIPS")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("parameter", equalTo("segment"))
                .body("detail", equalTo("parameter 'segment' must be one of AUTOMOBILE, BUILDING, FURNITURE, HOUSEHOLD, "
                        + "MACHINERY, got 'SPACESHIPS'"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "application/json", "text/event-stream", "application/x-ndjson", "text/csv" })
    void anUnknownQueryIsA404InEveryRepresentation(String accept) {
        given().accept(accept).when().get("/queries/no/such")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("there is no query named 'no/such'; GET /queries lists them"));
    }

    @Test
    void aTimeoutIsA504ForAPage() {
        given().when().get("/queries/test/sleep-briefly")
                .then().statusCode(504).contentType("application/problem+json")
                .body("title", equalTo("Query timed out"));
    }

    @Test
    void aTimeoutIsAnErrorEventInAnSseStream() throws IOException {
        try (SseClient client = new SseClient(base, "/queries/test/sleep-briefly")) {
            List<SseClient.Event> events = client.rest();
            assertThat(events.stream().map(SseClient.Event::name)).containsExactly("meta", "error");
            JsonNode problem = JSON.readTree(events.get(1).data());
            assertThat(problem.get("status").asInt()).isEqualTo(504);
            assertThat(problem.get("title").asText()).isEqualTo("Query timed out");
        }
    }

    @Test
    void aTimeoutIsAnErrorLineInNdjson() throws IOException {
        String body = given().accept("application/x-ndjson").when().get("/queries/test/sleep-briefly")
                .then().extract().asString();
        JsonNode line = JSON.readTree(body.lines().reduce((first, second) -> second).orElseThrow());
        assertThat(line.get("error").get("status").asInt()).isEqualTo(504);
    }

    @Test
    void aTimeoutCutsACsvStreamShortAndIsCounted() {
        // CSV has no way to say "error" in-band: the response has headers, then ends without its last chunk
        Throwable failure = null;
        String body = null;
        try {
            body = given().accept("text/csv").when().get("/queries/test/sleep-briefly").then().extract().asString();
        } catch (Exception e) { // rest-assured rethrows the client's IOException unchecked
            failure = e;
        }
        assertThat(failure != null || !body.contains("\n1,")).isTrue();
        assertThat(registry.find("quarry.query").tags("template", "test/sleep-briefly", "format", "csv", "outcome", "timeout")
                .timer()).isNotNull();
    }

    private void awaitRunning(String fragment, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (TestDatabase.serviceActivity().stream().anyMatch(query -> query.contains(fragment))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the query never started in PostgreSQL");
    }

    private void awaitNoQueryOfTheService(Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> active = TestDatabase.serviceActivity();
        while (!active.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            active = TestDatabase.serviceActivity();
        }
        assertThat(active).as("queries of the service still running").isEmpty();
    }

    private void awaitPoolIdle(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        double activeConnections = poolActive();
        while (activeConnections > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            activeConnections = poolActive();
        }
        assertThat(activeConnections).as("connections in use").isZero();
    }

    private double poolActive() {
        return registry.get("sql.pool.active").gauge().value();
    }

}
