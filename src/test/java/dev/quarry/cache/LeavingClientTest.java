package dev.quarry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.SseClient;
import dev.quarry.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A client that leaves ends its own request and nobody else's, whatever it was waiting for when it
 * left: the pool, the dataset version read that requests of every caching template share, a
 * recording other requests wait on, a kept answer being sent, or rows streaming from PostgreSQL.
 * Each test holds the shared step open (a lock, a sleep, a full pool) so that the other requests
 * are certainly waiting on it when the client leaves.
 */
@QuarkusTest
class LeavingClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private long logLinesBefore;

    @BeforeEach
    void markLog() throws IOException {
        logLinesBefore = Files.readAllLines(log()).size();
    }

    @AfterEach
    void nothingFailedUnexpectedlyAndNothingIsLeftRunning() throws Exception {
        List<String> lines = Files.readAllLines(log());
        assertThat(lines.subList((int) Math.min(logLinesBefore, lines.size()), lines.size()))
                .noneMatch(line -> line.contains("ERROR") || line.contains("Unexpected failure") || line.contains("CancellationException"));
        await(() -> TestDatabase.serviceActivity().isEmpty());
        assertThat(TestDatabase.serviceActivity()).isEmpty();
    }

    @Test
    void aClientLeavingWhileTheDatasetVersionIsReadFailsNoRequestOfAnyTemplate() throws Exception {
        String pageTag = tag();
        String linesTag = tag();
        try (Connection lock = TestDatabase.connect()) {
            // holds every read of the dataset's version until the commit below
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE quarry_dataset IN ACCESS EXCLUSIVE MODE");
            }
            SseClient leaving = new SseClient(base, "/queries/test/cached-rows?rows=5&tag=" + tag());
            assertThat(leaving.next().name()).isEqualTo("meta");
            await(() -> sessionsWaitingFor("quarry_dataset") == 1);
            CompletableFuture<HttpResponse<String>> page = send("/queries/test/cached-sleep?tag=" + pageTag, "application/json");
            CompletableFuture<HttpResponse<String>> lines = send("/queries/test/cached-rows?rows=4&tag=" + linesTag,
                    "application/x-ndjson");
            Thread.sleep(500);
            // the page and the lines joined the one read in flight rather than starting their own
            assertThat(sessionsWaitingFor("quarry_dataset")).isEqualTo(1);

            leaving.close();
            Thread.sleep(300);
            assertThat(page).isNotDone();
            lock.commit();

            HttpResponse<String> answered = page.get(10, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).isEqualTo(200);
            JsonNode rows = JSON.readTree(answered.body()).path("rows");
            assertThat(rows).hasSize(3);
            assertThat(rows.get(2).path("n").asInt()).isEqualTo(3);
            assertThat(rows.get(2).path("tag").asText()).isEqualTo(pageTag);
            assertThat(ndjsonRows(lines.get(10, TimeUnit.SECONDS), linesTag)).isEqualTo(4);
        }
    }

    @Test
    void aClientLeavingARecordingTheOthersWaitForDoesNotStopIt() throws Exception {
        String tag = tag();
        String path = "/queries/test/cached-sleep?seconds=1&tag=" + tag;
        SseClient leaving = new SseClient(base, path);
        assertThat(leaving.next().name()).isEqualTo("meta");
        try (SseClient staying = new SseClient(base, path)) {
            await(() -> TestDatabase.serviceSleeping() == 1);
            leaving.close();

            List<SseClient.Event> events = staying.rest();
            assertThat(events).extracting(SseClient.Event::name).containsExactly("meta", "row", "row", "row", "end");
            assertThat(JSON.readTree(events.get(3).data()).path("tag").asText()).isEqualTo(tag);
            assertThat(JSON.readTree(events.get(4).data()).path("rows").asLong()).isEqualTo(3);
        }
    }

    @Test
    void aClientLeavingAKeptAnswerMidwayDoesNotStopItForTheOthers() throws Exception {
        String path = "/queries/test/cached-rows?rows=2000&tag=" + tag();
        assertThat(send(path, "application/x-ndjson").get(10, TimeUnit.SECONDS).body().split("\n")).hasSize(2000);
        try (SseClient leaving = new SseClient(base, path); SseClient staying = new SseClient(base, path)) {
            for (int i = 0; i < 10; i++) {
                assertThat(leaving.next()).isNotNull();
            }
            leaving.close();

            List<SseClient.Event> events = staying.rest();
            assertThat(events).filteredOn(event -> event.name().equals("row")).hasSize(2000);
            assertThat(JSON.readTree(events.get(2000).data()).path("n").asInt()).isEqualTo(2000);
            assertThat(events.get(events.size() - 1).name()).isEqualTo("end");
        }
    }

    @Test
    void aClientLeavingWhileWaitingForAConnectionFailsNoOtherRequest() throws Exception {
        int pool = ConfigProvider.getConfig().getValue("quarkus.datasource.reactive.max-size", Integer.class);
        try (Connection lock = TestDatabase.connect()) {
            // every connection of the pool held by a lookup waiting for this lock, until the commit below
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            }
            List<CompletableFuture<HttpResponse<String>>> lookups = new ArrayList<>();
            for (int key = 1; key <= pool; key++) {
                // distinct keys, so that no two of them share an execution
                lookups.add(send("/queries/tpch/order?orderkey=" + key, "application/json"));
            }
            await(() -> sessionsWaitingFor("orders") == pool);
            SseClient leaving = new SseClient(base, "/queries/test/many-rows?rows=5");
            CompletableFuture<HttpResponse<String>> waiting = send("/queries/test/many-rows?rows=3", "application/x-ndjson");
            Thread.sleep(300);
            leaving.close();
            Thread.sleep(300);
            lock.commit();

            for (int key = 1; key <= pool; key++) {
                HttpResponse<String> answered = lookups.get(key - 1).get(10, TimeUnit.SECONDS);
                assertThat(answered.statusCode()).isEqualTo(200);
                JsonNode rows = JSON.readTree(answered.body()).path("rows");
                assertThat(rows.findValuesAsText("o_custkey")).isEqualTo(customerOf(key));
            }
            HttpResponse<String> lines = waiting.get(10, TimeUnit.SECONDS);
            assertThat(lines.statusCode()).isEqualTo(200);
            assertThat(lines.body()).isEqualTo("""
                    {"n":1,"label":"row 1","amount":1.25}
                    {"n":2,"label":"row 2","amount":2.50}
                    {"n":3,"label":"row 3","amount":3.75}
                    """);
        }
    }

    @Test
    void aClientLeavingMidStreamDoesNotStopAnotherStreamOfTheSameQuery() throws Exception {
        String path = "/queries/test/many-rows?rows=20000";
        CompletableFuture<HttpResponse<String>> staying = send(path, "application/x-ndjson");
        try (SseClient leaving = new SseClient(base, path)) {
            assertThat(leaving.next().name()).isEqualTo("meta");
            assertThat(leaving.next().name()).isEqualTo("row");
        }

        HttpResponse<String> lines = staying.get(20, TimeUnit.SECONDS);
        assertThat(lines.statusCode()).isEqualTo(200);
        String[] rows = lines.body().split("\n");
        assertThat(rows).hasSize(20000);
        assertThat(rows[19999]).isEqualTo("{\"n\":20000,\"label\":\"row 20000\",\"amount\":25000.00}");
    }

    /** What PostgreSQL says the order's customer is: none for a key no order has. */
    private static List<String> customerOf(int orderKey) throws SQLException {
        try (Connection connection = TestDatabase.connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT o_custkey FROM orders WHERE o_orderkey = " + orderKey)) {
            List<String> customers = new ArrayList<>();
            while (rs.next()) {
                customers.add(rs.getString(1));
            }
            return customers;
        }
    }

    /** The service's sessions waiting for a lock on the table. */
    private static long sessionsWaitingFor(String table) throws SQLException {
        try (Connection connection = TestDatabase.connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'quarry' "
                        + "AND wait_event_type = 'Lock' AND query LIKE '%" + table + "%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long ndjsonRows(HttpResponse<String> response, String tag) throws IOException {
        assertThat(response.statusCode()).isEqualTo(200);
        long rows = 0;
        for (String line : response.body().split("\n")) {
            JsonNode row = JSON.readTree(line);
            assertThat(row.path("tag").asText()).isEqualTo(tag);
            assertThat(row.path("n").asLong()).isEqualTo(++rows);
        }
        return rows;
    }

    private CompletableFuture<HttpResponse<String>> send(String path, String accept) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path)).header("Accept", accept)
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void await(Condition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.holds() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static Path log() {
        return Path.of(ConfigProvider.getConfig().getValue("quarkus.log.file.path", String.class));
    }

    private static String tag() {
        return UUID.randomUUID().toString();
    }
}
