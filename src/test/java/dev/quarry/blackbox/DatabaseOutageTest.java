package dev.quarry.blackbox;

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
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.SseClient;
import dev.quarry.TestDatabase;
import dev.quarry.TestDatabaseServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Stops the real PostgreSQL under load and starts it again: while it is away every request fails
 * fast with a 503 problem and readiness is DOWN; once it is back the same service answers again,
 * with the right values, without a restart. The log tells the outage in two lines, when the
 * database went away and when it was back, with no stack trace and nothing per request.
 */
@QuarkusTest
class DatabaseOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration OUTAGE = Duration.ofSeconds(3);
    /** Far below the 30 s statement timeout: a failure that takes longer is a hang, not a fast failure. */
    private static final Duration FAST = Duration.ofSeconds(5);
    private static final int CLIENTS = 6;
    private static final String ORDERS = "/queries/test/orders?_count=exact&_limit=3";
    private static final Path LOG = Path.of("target/quarry-test.log");

    @TestHTTPResource("/")
    URL base;

    @Inject
    MeterRegistry registry;

    /** How long a request waits for a connection: the pool's wait timer fires this long after a failed acquisition. */
    @ConfigProperty(name = "quarry.pool.wait-timeout")
    Duration waitTimeout;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private enum Outcome {
        OK, UNAVAILABLE
    }

    /** One request of the load: which, when it started and ended (System.nanoTime), and how it ended. */
    private record Answer(String request, long started, long ended, Outcome outcome) {
    }

    /** A request of the load; answers OK or UNAVAILABLE, or throws on any other answer. */
    private interface Request {
        Outcome send() throws Exception;
    }

    @Test
    void duringAnOutageRequestsFailFastWith503AndTheServiceRecoversWithoutARestart() throws Exception {
        long orders = ordersInDatabase();
        long logBefore = Files.size(LOG);
        List<String> names = List.of("orders page", "sleep page", "aggregate stream", "rows stream");
        List<Request> requests = List.of(() -> ordersPage(orders), this::sleepPage, this::aggregateStream, this::rowsStream);
        Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
        TestDatabaseServer server = TestDatabaseServer.running();
        long stopBegan;
        long restartBegan;
        long restarted;
        long recovered;
        try {
            // a page and a stream that are inside PostgreSQL when it goes down
            CompletableFuture<HttpResponse<String>> pageInFlight = http.sendAsync(get("/queries/test/sleep?seconds=20"),
                    HttpResponse.BodyHandlers.ofString());
            Future<List<SseClient.Event>> streamInFlight = clients.submit(() -> {
                try (SseClient client = new SseClient(base, "/queries/test/slow-aggregate?seconds=2")) {
                    return client.rest();
                }
            });
            awaitSleepingQueries(2, Duration.ofSeconds(10));

            for (int client = 0; client < CLIENTS; client++) {
                int first = client;
                clients.submit(() -> {
                    for (int n = first; loading.get(); n++) {
                        int kind = n % requests.size();
                        long started = System.nanoTime();
                        try {
                            Outcome outcome = requests.get(kind).send();
                            answers.add(new Answer(names.get(kind), started, System.nanoTime(), outcome));
                        } catch (Exception | AssertionError e) {
                            wrong.add(names.get(kind) + ": " + e);
                        }
                        pause(10);
                    }
                });
            }
            Thread.sleep(1000);

            stopBegan = System.nanoTime();
            server.stop();
            long stopped = System.nanoTime();

            HttpResponse<String> page = pageInFlight.get(FAST.toSeconds(), TimeUnit.SECONDS);
            assertUnavailable(page.statusCode(), page.headers().firstValue("Content-Type").orElse(""), page.body());
            List<SseClient.Event> stream = streamInFlight.get(FAST.toSeconds(), TimeUnit.SECONDS);
            assertThat(stream.stream().map(SseClient.Event::name)).containsExactly("meta", "error");
            assertUnavailableProblem(JSON.readTree(stream.get(1).data()));

            Thread.sleep(OUTAGE.toMillis() / 2);
            HttpResponse<String> readiness = http.send(get("/q/health/ready"), HttpResponse.BodyHandlers.ofString());
            assertThat(readiness.statusCode()).isEqualTo(503);
            JsonNode dataset = datasetCheck(JSON.readTree(readiness.body()));
            assertThat(dataset.get("status").asText()).isEqualTo("DOWN");
            assertThat(dataset.get("data").get("reason").asText()).as("why readiness is DOWN").isNotBlank();
            System.out.printf("outage: readiness DOWN because %s%n", dataset.get("data").get("reason").asText());
            Thread.sleep(OUTAGE.toMillis() / 2);

            List<Answer> duringOutage = answers.stream().filter(answer -> answer.started() > stopped).toList();
            restartBegan = System.nanoTime();
            server.start();
            restarted = System.nanoTime();
            recovered = awaitServing(Duration.ofSeconds(10));
            awaitRightAnswersOfEach(names, answers, recovered, Duration.ofSeconds(20));
            loading.set(false);
            assertThat(duringOutage.stream().map(Answer::outcome)).as("answers while the database was down").isNotEmpty()
                    .containsOnly(Outcome.UNAVAILABLE);
        } finally {
            loading.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).as("every client finished").isTrue();
            if (!server.isRunning()) {
                server.start();
            }
        }

        assertThat(wrong).as("answers that were neither right nor a 503 problem").isEmpty();
        List<Answer> failed = answers.stream().filter(answer -> answer.outcome() == Outcome.UNAVAILABLE).toList();
        for (String name : names) {
            assertThat(failed).as("503s of the " + name).anyMatch(answer -> answer.request().equals(name));
            assertThat(answers).as("right answers of the " + name + " after the database came back")
                    .anyMatch(answer -> answer.request().equals(name) && answer.started() > recovered && answer.outcome() == Outcome.OK);
        }
        assertThat(answers.stream().filter(answer -> answer.started() > recovered).map(Answer::outcome))
                .as("answers once the service served again").containsOnly(Outcome.OK);
        // a request already running when the server went down fails at the stop, not at its own start
        long slowestFailure = failed.stream().mapToLong(answer -> answer.ended() - Math.max(answer.started(), stopBegan)).max()
                .orElseThrow();
        assertThat(Duration.ofNanos(slowestFailure)).as("the slowest 503").isLessThan(FAST);
        assertThat(Duration.ofNanos(recovered - restarted)).as("from the database accepting again to the service serving")
                .isLessThan(FAST);
        long firstRight = answers.stream().filter(answer -> answer.ended() > restartBegan && answer.outcome() == Outcome.OK)
                .mapToLong(Answer::ended).min().orElseThrow();
        System.out.printf("outage: %d answers, %d of them 503; slowest 503 %d ms; pg_ctl start %d ms; "
                + "first right answer %d ms after the start began%n", answers.size(), failed.size(),
                TimeUnit.NANOSECONDS.toMillis(slowestFailure), TimeUnit.NANOSECONDS.toMillis(restarted - restartBegan),
                TimeUnit.NANOSECONDS.toMillis(firstRight - restartBegan));

        // the same service, never restarted, is whole again
        assertThat(ordersPage(orders)).isEqualTo(Outcome.OK);
        HttpResponse<String> readiness = http.send(get("/q/health/ready"), HttpResponse.BodyHandlers.ofString());
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(datasetCheck(JSON.readTree(readiness.body())).get("status").asText()).isEqualTo("UP");
        awaitPoolIdle(Duration.ofSeconds(5));

        // the pool's wait timers of the failed acquisitions have all fired (vertx-sql-client#1706 logs then)
        long lastFailure = failed.stream().mapToLong(Answer::ended).max().orElseThrow();
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(lastFailure - System.nanoTime()) + waitTimeout.toMillis() + 1000));
        List<String> logged = logSince(logBefore);
        assertThat(logged).as("the log of the outage").filteredOn(line -> line.contains("PostgreSQL did not answer")).singleElement()
                .asString().contains(" ERROR ").contains("queries answer 503 until it is back");
        assertThat(logged).filteredOn(line -> line.contains("PostgreSQL answers again")).singleElement().asString().contains(" INFO ");
        assertThat(logged).as("ERROR and WARN lines of the outage").filteredOn(line -> line.matches(".* (ERROR|WARN) .*"))
                .singleElement().asString().contains("PostgreSQL did not answer");
        assertThat(logged).as("stack traces").noneMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by"))
                .noneMatch(line -> line.contains("Result is already complete"));
    }

    /** The lines the service logged to its file since it was this long. */
    private static List<String> logSince(long offset) throws IOException {
        byte[] log = Files.readAllBytes(LOG);
        return new String(log, Math.toIntExact(offset), log.length - Math.toIntExact(offset), StandardCharsets.UTF_8).lines().toList();
    }

    private Outcome ordersPage(long orders) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(get(ORDERS), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return assertUnavailable(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        }
        JsonNode page = JSON.readTree(response.body());
        assertThat(page.get("page").get("total").asLong()).isEqualTo(orders);
        assertThat(page.get("rows")).hasSize(3);
        return Outcome.OK;
    }

    private Outcome sleepPage() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(get("/queries/test/sleep?seconds=0.3"), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return assertUnavailable(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        }
        JsonNode rows = JSON.readTree(response.body()).get("rows");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(2).get("n").asInt()).isEqualTo(3);
        return Outcome.OK;
    }

    private Outcome aggregateStream() throws IOException {
        try (SseClient client = new SseClient(base, "/queries/test/slow-aggregate?seconds=0.1")) {
            if (client.status != 200) {
                return assertUnavailable(client.status, client.contentType, null);
            }
            List<SseClient.Event> events = client.rest();
            assertThat(events.get(0).name()).isEqualTo("meta");
            SseClient.Event last = events.get(events.size() - 1);
            if (last.name().equals("error")) {
                return assertUnavailableProblem(JSON.readTree(last.data()));
            }
            assertThat(events.stream().map(SseClient.Event::name)).containsExactly("meta", "row", "end");
            assertThat(JSON.readTree(events.get(1).data()).get("total").asInt()).isEqualTo(55);
            return Outcome.OK;
        }
    }

    private Outcome rowsStream() throws IOException {
        try (SseClient client = new SseClient(base, "/queries/test/many-rows?rows=2000")) {
            if (client.status != 200) {
                return assertUnavailable(client.status, client.contentType, null);
            }
            List<SseClient.Event> events = client.rest();
            assertThat(events.get(0).name()).isEqualTo("meta");
            SseClient.Event last = events.get(events.size() - 1);
            List<SseClient.Event> rows = events.subList(1, events.size() - 1);
            for (int i = 0; i < rows.size(); i++) {
                assertThat(JSON.readTree(rows.get(i).data()).get("n").asInt()).isEqualTo(i + 1);
            }
            if (last.name().equals("error")) {
                return assertUnavailableProblem(JSON.readTree(last.data()));
            }
            assertThat(last.name()).isEqualTo("end");
            assertThat(rows).hasSize(2000);
            return Outcome.OK;
        }
    }

    /** A 503 problem+json (a stream refused before it began has no body to read here). */
    private static Outcome assertUnavailable(int status, String contentType, String body) throws IOException {
        assertThat(status).as("status of a failed request").isEqualTo(503);
        assertThat(contentType).startsWith("application/problem+json");
        return body == null ? Outcome.UNAVAILABLE : assertUnavailableProblem(JSON.readTree(body));
    }

    private static Outcome assertUnavailableProblem(JsonNode problem) {
        assertThat(problem.get("status").asInt()).as(problem.toString()).isEqualTo(503);
        assertThat(problem.get("title").asText()).isEqualTo("Database unavailable");
        assertThat(problem.get("detail").asText()).doesNotContain("Exception").doesNotContain("\tat ");
        return Outcome.UNAVAILABLE;
    }

    private static JsonNode datasetCheck(JsonNode health) {
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals("dataset")) {
                return check;
            }
        }
        throw new AssertionError("no dataset check in " + health);
    }

    /** Polls a page until it is right again; returns when (System.nanoTime). */
    private long awaitServing(Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        long orders = ordersInDatabase();
        while (true) {
            HttpResponse<String> response = http.send(get(ORDERS), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                assertThat(JSON.readTree(response.body()).get("page").get("total").asLong()).isEqualTo(orders);
                return System.nanoTime();
            }
            assertUnavailable(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the service did not serve again within " + within + " of the database's return");
            }
            Thread.sleep(20);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitRightAnswersOfEach(List<String> names, Queue<Answer> answers, long since, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!names.stream().allMatch(name -> answers.stream().anyMatch(answer -> answer.request().equals(name)
                && answer.started() > since && answer.outcome() == Outcome.OK)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private HttpRequest get(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base.toString()).resolve(pathAndQuery)).timeout(Duration.ofSeconds(60)).build();
    }

    private static long ordersInDatabase() throws SQLException {
        try (Connection connection = TestDatabase.connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM orders JOIN customer ON c_custkey = o_custkey")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void awaitSleepingQueries(int count, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (TestDatabase.serviceSleeping() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the queries never started in PostgreSQL");
            }
            Thread.sleep(20);
        }
    }

    private void awaitPoolIdle(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (poolActive() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(poolActive()).as("connections in use").isZero();
    }

    private double poolActive() {
        return registry.get("sql.pool.active").gauge().value();
    }
}
