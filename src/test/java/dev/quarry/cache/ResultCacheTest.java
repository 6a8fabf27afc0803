package dev.quarry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.SseClient;
import dev.quarry.StatementLog;
import dev.quarry.TestDatabase;
import dev.quarry.http.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The result cache against the real PostgreSQL: PostgreSQL's statement log counts the executions a
 * test's requests cause (each test tags its requests with a value of its own), and the answers are
 * compared with what PostgreSQL returns.
 */
@QuarkusTest
@TestProfile(ResultCacheTest.SmallCache.class)
class ResultCacheTest {

    /** Bounds small enough for a test to fill, and a grace a test can wait out. */
    public static class SmallCache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarry.cache.max-size", "256K", "quarry.cache.max-answer-size", "64K", "quarry.cache.stale-grace", "3s");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Connection database;
    private static StatementLog log;

    @TestHTTPResource("/")
    URL base;

    @Inject
    MeterRegistry registry;

    @Inject
    AnswerCache cache;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startLog() throws Exception {
        database = TestDatabase.connect();
        log = StatementLog.start(database);
    }

    @AfterAll
    static void stopLog() throws SQLException {
        log.close();
        database.close();
    }

    @Test
    void concurrentIdenticalRequestsShareOneExecutionAndTheAnswerIsKept() throws Exception {
        String tag = tag();
        String path = "/queries/test/cached-sleep?seconds=1&tag=" + tag;
        double missesBefore = requests("test/cached-sleep", "miss");
        double coalescedBefore = requests("test/cached-sleep", "coalesced");
        double hitsBefore = requests("test/cached-sleep", "hit");
        long executedBefore = executions("test/cached-sleep");

        List<HttpResponse<String>> responses = concurrently(8, path);

        for (HttpResponse<String> response : responses) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(responses.get(0).body());
        }
        JsonNode rows = JSON.readTree(responses.get(0).body()).path("rows");
        assertThat(rows).hasSize(3);
        for (int n = 1; n <= 3; n++) {
            assertThat(rows.get(n - 1).path("n").asInt()).isEqualTo(n);
            assertThat(rows.get(n - 1).path("tag").asText()).isEqualTo(tag);
        }
        assertThat(executionsTagged(tag)).isEqualTo(1);
        assertThat(requests("test/cached-sleep", "miss") - missesBefore).isEqualTo(1);
        assertThat(requests("test/cached-sleep", "coalesced") - coalescedBefore).isEqualTo(7);
        // quarry_query_seconds counts the one execution, not the eight answers
        assertThat(executions("test/cached-sleep") - executedBefore).isEqualTo(1);

        HttpResponse<String> kept = get(path, Map.of());
        assertThat(kept.body()).isEqualTo(responses.get(0).body());
        assertThat(kept.headers().firstValue("Age")).isPresent();
        assertThat(kept.headers().firstValue("Cache-Control")).hasValue("max-age=30");
        assertThat(requests("test/cached-sleep", "hit") - hitsBefore).isEqualTo(1);
        assertThat(executionsTagged(tag)).isEqualTo(1);
    }

    @Test
    void withoutACacheConcurrentRequestsStillShareOneExecutionAndALaterOneRunsAgain() throws Exception {
        String tag = tag();
        String path = "/queries/test/shared-sleep?seconds=1&tag=" + tag;

        List<HttpResponse<String>> responses = concurrently(6, path);

        for (HttpResponse<String> response : responses) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(responses.get(0).body());
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(response.headers().firstValue("Age")).isEmpty();
        }
        assertThat(JSON.readTree(responses.get(0).body()).path("rows").get(2).path("quotient").asInt()).isEqualTo(3);
        assertThat(executionsTagged(tag)).isEqualTo(1);

        assertThat(get(path, Map.of()).statusCode()).isEqualTo(200);
        assertThat(executionsTagged(tag)).isEqualTo(2);
    }

    @Test
    void aClientThatLeavesDoesNotStopTheExecutionForTheOthers() throws Exception {
        String tag = tag();
        String path = "/queries/test/cached-sleep?seconds=2&tag=" + tag;
        CompletableFuture<HttpResponse<String>> leaving = http.sendAsync(request(path, Map.of()).timeout(Duration.ofMillis(300)).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(100);
        CompletableFuture<HttpResponse<String>> staying = http.sendAsync(request(path, Map.of()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(leaving).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(Exception.class)
                .withCauseInstanceOf(HttpTimeoutException.class);
        HttpResponse<String> stayed = staying.get(10, TimeUnit.SECONDS);
        assertThat(stayed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(stayed.body()).path("rows").get(0).path("tag").asText()).isEqualTo(tag);
        assertThat(executionsTagged(tag)).isEqualTo(1);
    }

    @Test
    void aFailureReachesEveryWaiterAsTheSameProblemAndIsNotKept() throws Exception {
        String tag = tag();
        String path = "/queries/test/shared-sleep?seconds=1&divisor=0&tag=" + tag;

        List<HttpResponse<String>> responses = concurrently(5, path);

        JsonNode first = JSON.readTree(responses.get(0).body());
        assertThat(responses.get(0).statusCode()).isBetween(500, 599);
        assertThat(first.path("detail").asText()).contains("division by zero");
        for (HttpResponse<String> response : responses) {
            assertThat(response.statusCode()).isEqualTo(responses.get(0).statusCode());
            assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
            assertThat(JSON.readTree(response.body())).isEqualTo(first);
        }
        assertThat(executionsTagged(tag)).isEqualTo(1);

        assertThat(get(path, Map.of()).statusCode()).isEqualTo(responses.get(0).statusCode());
        assertThat(executionsTagged(tag)).isEqualTo(2);
    }

    @Test
    void anAnswerExpiresAfterItsTimeToLiveAndOneRequestRefreshesItWhileOthersGetTheOldOne() throws Exception {
        String tag = tag();
        String path = "/queries/test/short-lived?tag=" + tag;
        HttpResponse<String> first = get(path, Map.of());
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("max-age=1");
        String readAt = readAt(first);
        assertThat(readAt(get(path, Map.of()))).isEqualTo(readAt);
        assertThat(executionsTagged(tag)).isEqualTo(1);

        // past the time to live, within the grace: the old answer at once, and one refresh behind it
        // (which may be done before the last of the five arrives: those get the refreshed answer)
        Thread.sleep(1200);
        double staleBefore = requests("test/short-lived", "stale");
        List<HttpResponse<String>> during = concurrently(5, path);
        String refreshed = awaitChange(path, readAt);
        assertThat(refreshed).isGreaterThan(readAt);
        List<String> served = new ArrayList<>();
        for (HttpResponse<String> response : during) {
            served.add(readAt(response));
            if (readAt(response).equals(readAt)) {
                assertThat(Long.parseLong(response.headers().firstValue("Age").orElseThrow())).isGreaterThanOrEqualTo(1);
            }
        }
        // all five may get the old answer: the refresh runs behind them
        assertThat(served).isSubsetOf(readAt, refreshed).contains(readAt);
        assertThat(requests("test/short-lived", "stale") - staleBefore).isGreaterThanOrEqualTo(1);
        assertThat(executionsTagged(tag)).isEqualTo(2);

        // past the time to live and the grace: nothing is served from the old answer
        Thread.sleep(4500);
        String later = readAt(get(path, Map.of()));
        assertThat(later).isGreaterThan(refreshed);
        assertThat(executionsTagged(tag)).isEqualTo(3);
    }

    @Test
    void aNewPublishMakesEveryKeptAnswerUnusableAtOnce() throws Exception {
        String path = "/queries/test/dataset-record";
        String before = get(path, Map.of()).body();
        assertThat(get(path, Map.of()).body()).isEqualTo(before);
        assertThat(JSON.readTree(before).path("rows").get(0).path("loaded_at").asText()).isEqualTo(loadedAt());

        // what load's publish transaction does to the dataset's record, from outside the service
        try (Statement statement = database.createStatement()) {
            statement.executeUpdate("UPDATE quarry_dataset SET loaded_at = loaded_at + interval '1 second' WHERE name = 'tpch'");
        }

        String after = get(path, Map.of()).body();
        assertThat(after).isNotEqualTo(before);
        assertThat(JSON.readTree(after).path("rows").get(0).path("loaded_at").asText()).isEqualTo(loadedAt());
    }

    @Test
    void anUnchangedAnswerIsNotModifiedForItsEntityTag() throws Exception {
        String tag = tag();
        String path = "/queries/test/cached-sleep?tag=" + tag;
        HttpResponse<String> first = get(path, Map.of());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("\"[A-Za-z0-9_-]{27}\"");
        assertThat(first.headers().firstValue("Vary")).hasValue("Accept");

        HttpResponse<String> again = get(path, Map.of("If-None-Match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);
        assertThat(again.headers().firstValue("Cache-Control")).hasValue("max-age=30");
        assertThat(get(path, Map.of("If-None-Match", "W/" + etag + ", \"other\"")).statusCode()).isEqualTo(304);
        assertThat(get(path, Map.of("If-None-Match", "\"other\"")).statusCode()).isEqualTo(200);

        // the same values give the same tag, whether kept or read again
        assertThat(get("/queries/test/shared-sleep?tag=" + tag, Map.of()).headers().firstValue("ETag"))
                .isEqualTo(get("/queries/test/shared-sleep?tag=" + tag, Map.of()).headers().firstValue("ETag"));
    }

    @Test
    void aPurgeForgetsTheKeptAnswersOfOneTemplate() throws Exception {
        String tag = tag();
        String path = "/queries/test/cached-sleep?tag=" + tag;
        String other = "/queries/test/cached-rows?rows=2&tag=" + tag;
        get(path, Map.of());
        get(other, Map.of());
        get(path, Map.of());
        assertThat(executionsTagged(tag)).isEqualTo(2);

        HttpResponse<String> purged = http.send(request("/cache/test/cached-sleep", Map.of()).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(purged.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(purged.body()).path("template").asText()).isEqualTo("test/cached-sleep");
        assertThat(JSON.readTree(purged.body()).path("answers").asInt()).isGreaterThanOrEqualTo(1);

        assertThat(get(path, Map.of()).headers().firstValue("Age")).isEmpty();
        assertThat(executionsTagged(tag)).isEqualTo(3);
        assertThat(get(other, Map.of()).headers().firstValue("Age")).isPresent();
        assertThat(executionsTagged(tag)).isEqualTo(3);
        assertThat(http.send(request("/cache/test/no-such", Map.of()).DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void keysetPagesOfACachedQueryAreKeptPageByPage() throws Exception {
        String tag = tag();
        HttpResponse<String> first = get("/queries/test/cached-rows?rows=5&_limit=2&tag=" + tag, Map.of());
        JsonNode page = JSON.readTree(first.body());
        assertThat(page.path("rows").findValuesAsText("n")).containsExactly("1", "2");
        String next = page.path("page").path("next").asText();
        String secondPath = "/queries/test/cached-rows?rows=5&_limit=2&tag=" + tag + "&_after=" + next;
        HttpResponse<String> second = get(secondPath, Map.of());
        assertThat(JSON.readTree(second.body()).path("rows").findValuesAsText("n")).containsExactly("3", "4");
        assertThat(executionsTagged(tag)).isEqualTo(2);

        HttpResponse<String> secondAgain = get(secondPath, Map.of());
        assertThat(secondAgain.body()).isEqualTo(second.body());
        assertThat(secondAgain.headers().firstValue("Age")).isPresent();
        assertThat(executionsTagged(tag)).isEqualTo(2);
    }

    @Test
    void anAnswerLargerThanTheLimitIsServedAndNotKept() throws Exception {
        String tag = tag();
        // 1,000 rows of about 150 bytes: past the 64K limit of one answer
        String path = "/queries/test/cached-rows?rows=1000&_limit=1000&tag=" + tag;
        HttpResponse<String> first = get(path, Map.of());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body().length()).isGreaterThan(64 * 1024);
        assertThat(JSON.readTree(first.body()).path("rows")).hasSize(1000);
        assertThat(get(path, Map.of()).body()).isEqualTo(first.body());
        assertThat(executionsTagged(tag)).isEqualTo(2);
    }

    @Test
    void aFloodOfDistinctRequestsStaysWithinTheBytes() throws Exception {
        double evictionsBefore = evictions("test/cached-rows");
        String tag = tag();
        // 300 distinct answers of about 15K each: 4.5M against a bound of 256K. Caffeine evicts just after
        // the write that crosses the bound, so at any moment it may hold one answer (64K at most) more.
        for (int i = 0; i < 300; i++) {
            HttpResponse<String> response = get("/queries/test/cached-rows?rows=100&_limit=100&tag=" + tag + "-" + i, Map.of());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(cache.heldBytes()).isLessThanOrEqualTo((256 + 64) * 1024);
        }
        assertThat(evictions("test/cached-rows") - evictionsBefore).isGreaterThan(250);
        double held = registry.get("quarry.cache.bytes").tag("template", "test/cached-rows").gauge().value();
        assertThat(held).isGreaterThan(0).isLessThanOrEqualTo((256 + 64) * 1024);
    }

    @Test
    void streamsOfACachedTemplateAreRecordedOnceAndServedFromTheKeptAnswer() throws Exception {
        String tag = tag();
        String path = "/queries/test/cached-sleep?seconds=1&tag=" + tag;

        List<HttpResponse<String>> lines = concurrently(4, path, "application/x-ndjson");
        for (HttpResponse<String> response : lines) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"n\":1,\"tag\":\"" + tag + "\",\"slept\":false}\n"
                    + "{\"n\":2,\"tag\":\"" + tag + "\",\"slept\":false}\n{\"n\":3,\"tag\":\"" + tag + "\",\"slept\":false}\n");
        }
        assertThat(executionsTagged(tag)).isEqualTo(1);
        assertThat(get(path, Map.of("Accept", "application/x-ndjson")).body()).isEqualTo(lines.get(0).body());
        assertThat(executionsTagged(tag)).isEqualTo(1);

        String csv = get(path, Map.of("Accept", "text/csv")).body();
        assertThat(csv).isEqualTo("n,tag,slept\n1," + tag + ",f\n2," + tag + ",f\n3," + tag + ",f\n");
        assertThat(get(path, Map.of("Accept", "text/csv")).body()).isEqualTo(csv);
        assertThat(executionsTagged(tag)).isEqualTo(2);

        for (int i = 0; i < 2; i++) {
            try (SseClient client = new SseClient(base, path)) {
                List<SseClient.Event> events = client.rest();
                assertThat(events.stream().map(SseClient.Event::name)).containsExactly("meta", "row", "row", "row", "end");
                assertThat(JSON.readTree(events.get(3).data()).path("n").asInt()).isEqualTo(3);
                assertThat(JSON.readTree(events.get(4).data()).path("rows").asInt()).isEqualTo(3);
            }
        }
        assertThat(executionsTagged(tag)).isEqualTo(3);
    }

    @Test
    void aStreamLargerThanTheLimitIsStreamedWholeAndNotKept() throws Exception {
        String tag = tag();
        String path = "/queries/test/cached-rows?rows=1000&tag=" + tag;
        for (int i = 0; i < 2; i++) {
            String[] lines = get(path, Map.of("Accept", "application/x-ndjson")).body().split("\n");
            assertThat(lines).hasSize(1000);
            assertThat(JSON.readTree(lines[999]).path("n").asInt()).isEqualTo(1000);
        }
        // the first request's recording stops at the limit and it streams from the database; the second streams at once
        assertThat(executionsTagged(tag)).isEqualTo(3);
        assertThat(registry.find("quarry.cache.too.large").tags("template", "test/cached-rows").counter()).isNotNull();
    }

    @Test
    void aSharedStreamIsCancelledInTheDatabaseOnlyWhenEveryWaiterHasLeft() throws Exception {
        String tag = tag();
        String path = "/queries/test/cached-sleep?seconds=5&tag=" + tag;
        double coalescedBefore = requests("test/cached-sleep", "coalesced");
        try (Socket first = requestOn(path); Socket second = requestOn(path)) {
            awaitSleeping(1);
            // the second waits for the first's execution before the first leaves (a loaded machine may read it late)
            long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (requests("test/cached-sleep", "coalesced") == coalescedBefore && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(requests("test/cached-sleep", "coalesced")).isEqualTo(coalescedBefore + 1);
            Thread.sleep(100);
            first.close();
            Thread.sleep(500);
            assertThat(TestDatabase.serviceSleeping()).as("one waiter is left").isEqualTo(1);
        }
        awaitSleeping(0);
        assertThat(executionsTagged(tag)).isEqualTo(1);
        // nothing was kept: the next request runs again, and gets the whole answer
        assertThat(get("/queries/test/cached-sleep?tag=" + tag, Map.of("Accept", "application/x-ndjson")).body().split("\n")).hasSize(3);
    }

    /** A stream request on a connection of its own, which the test closes to leave. */
    private Socket requestOn(String path) throws Exception {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/x-ndjson\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private static void awaitSleeping(long sessions) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (TestDatabase.serviceSleeping() != sessions && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(TestDatabase.serviceSleeping()).isEqualTo(sessions);
    }

    private List<HttpResponse<String>> concurrently(int clients, String path) throws Exception {
        return concurrently(clients, path, "application/json");
    }

    private List<HttpResponse<String>> concurrently(int clients, String path, String accept) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            pending.add(http.sendAsync(request(path, Map.of("Accept", accept)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : pending) {
            responses.add(response.get(20, TimeUnit.SECONDS));
        }
        return responses;
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        return http.send(request(path, headers).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path));
        headers.forEach(request::header);
        if (!headers.containsKey("Accept")) {
            request.header("Accept", "application/json");
        }
        return request;
    }

    private String awaitChange(String path, String readAt) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            String now = readAt(get(path, Map.of()));
            if (!now.equals(readAt) || System.nanoTime() > deadline) {
                return now;
            }
            Thread.sleep(50);
        }
    }

    private static String readAt(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).path("rows").get(0).path("read_at").asText();
    }

    private static String loadedAt() throws SQLException {
        try (Statement statement = database.createStatement();
                ResultSet rs = statement.executeQuery("SELECT loaded_at::text FROM quarry_dataset WHERE name = 'tpch'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Executions PostgreSQL logged of statements bound to the tag (a page and its count are one). */
    private static long executionsTagged(String tag) throws Exception {
        return log.entries().stream()
                .filter(entry -> entry.application().equals("quarry") && entry.message().startsWith("execute")
                        && !entry.message().startsWith("execute fetch from") && entry.detail().contains("'" + tag))
                .count();
    }

    private double requests(String template, String source) {
        Counter counter = registry.find("quarry.cache.requests").tags("template", template, "source", source).counter();
        return counter == null ? 0 : counter.count();
    }

    private double evictions(String template) {
        Counter counter = registry.find("quarry.cache.evictions").tags("template", template).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Database executions as quarry_query_seconds counts them. */
    private long executions(String template) {
        return registry.find("quarry.query").tags("template", template, "format", "json", "outcome", "ok").timers().stream()
                .mapToLong(Timer::count).sum();
    }

    private static String tag() {
        return UUID.randomUUID().toString();
    }
}
