package dev.quarry.blackbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.SseClient;
import dev.quarry.TestDatabase;
import dev.quarry.encode.MediaTypes;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A saturated service answers 503 with Retry-After at once instead of queueing: a tiny pool whose
 * connections slow queries hold, and a bound of two streams.
 */
@QuarkusTest
@TestProfile(LoadLimitsTest.Tiny.class)
class LoadLimitsTest {

    public static class Tiny implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "2",
                    "quarry.pool.max-wait-queue", "1",
                    "quarry.pool.wait-timeout", "1500ms",
                    "quarry.stream.max-concurrent", "2");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough that every refusal below comes while both connections are still held. */
    private static final int HOLD_SECONDS = 8;

    @TestHTTPResource("/")
    URL base;

    @Inject
    MeterRegistry registry;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aFullPoolRefusesPastItsQueueAtOnceAndPastItsWaitTimeout() throws Exception {
        // each request a statement of its own: identical concurrent requests would share one execution
        CompletableFuture<HttpResponse<String>> first = page("/queries/test/sleep?seconds=" + HOLD_SECONDS);
        CompletableFuture<HttpResponse<String>> second = page("/queries/test/sleep?seconds=" + (HOLD_SECONDS + 1));
        await(() -> TestDatabase.serviceSleeping() == 2, "both connections running pg_sleep");

        CompletableFuture<HttpResponse<String>> queued = page("/queries/test/sleep?seconds=0.01");
        await(() -> registry.get("sql.pool.queue.size").gauge().value() == 1, "one request waiting for a connection");

        HttpResponse<String> refused = page("/queries/test/sleep?seconds=0.02").get(5, TimeUnit.SECONDS);
        assertThat(first).as("the holders still run: the refusal did not wait for a connection").isNotDone();
        assertRetryLater(refused, "Server busy");
        assertThat(problem(refused).get("detail").asText()).isEqualTo("every connection of this server to PostgreSQL is in use and "
                + "the queue of requests waiting for one is full (quarry.pool.max-wait-queue); try again shortly");

        HttpResponse<String> waited = queued.get(HOLD_SECONDS, TimeUnit.SECONDS);
        assertThat(first).as("the queued request gave up after the wait timeout, not when a connection came free").isNotDone();
        assertRetryLater(waited, "Server busy");
        assertThat(problem(waited).get("detail").asText()).isEqualTo("every connection of this server to PostgreSQL is in use and "
                + "this request waited for one past the wait timeout (quarry.pool.wait-timeout); try again shortly");

        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        // and the pool serves again
        given().when().get("/queries/test/sleep").then().statusCode(200);
    }

    @Test
    void aStreamPastTheBoundIsRefusedBeforeItBeginsAndItsPlaceComesBack() throws Exception {
        try (SseClient one = new SseClient(base, "/queries/test/sleep?seconds=" + HOLD_SECONDS)) {
            assertThat(one.next().name()).isEqualTo("meta");
            try (SseClient two = new SseClient(base, "/queries/test/sleep?seconds=" + HOLD_SECONDS)) {
                assertThat(two.next().name()).isEqualTo("meta");
                for (String accept : List.of("text/event-stream", MediaTypes.NDJSON, MediaTypes.CSV)) {
                    given().header("Accept", accept).when().get("/queries/test/sleep")
                            .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "1")
                            .body("title", equalTo("Too many streams"))
                            .body("detail", equalTo("2 streams are in flight, the most this server runs at once "
                                    + "(quarry.stream.max-concurrent); try again shortly"));
                }
                // pages are not streams
                given().when().get("/queries/tpch/q06").then().statusCode(503).body("title", equalTo("Server busy"));
            }
            // the client that hung up gave its place back
            await(() -> given().header("Accept", MediaTypes.NDJSON).when().get("/queries/test/sleep").statusCode() == 200,
                    "a stream accepted again");
        }
        await(() -> TestDatabase.serviceSleeping() == 0, "no statement left running");
    }

    private static void assertRetryLater(HttpResponse<String> response, String title) throws IOException {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(problem(response).get("title").asText()).isEqualTo(title);
        assertThat(problem(response).get("status").asInt()).isEqualTo(503);
    }

    private static JsonNode problem(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private CompletableFuture<HttpResponse<String>> page(String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(base.toString()).resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

}
