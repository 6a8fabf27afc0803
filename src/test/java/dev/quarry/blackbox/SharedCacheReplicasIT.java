package dev.quarry.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.StatementLog;
import dev.quarry.cache.RedisServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Two packaged Quarry processes as replicas behind a load balancer, sharing one PostgreSQL and one
 * real redis-server as the result cache's shared tier. Concurrent identical requests spread over both
 * run the statement once (PostgreSQL's statement log and both replicas' meters agree), and every
 * client gets the same bytes and ETag; the replica that held the lease killed mid-query leaves its
 * waiters to the other, which takes the lease once it expires; a failing statement reaches the
 * clients of both as the same problem and is not stored; with Redis away each replica answers on its
 * own, and sharing resumes when Redis is back. The replica killed last, the tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedCacheReplicasIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Longer than any query of these tests runs (a second or two, more on a busy machine: a waiting
     * replica whose lease holder runs longer runs the query itself), short enough to wait out once.
     */
    private static final Duration LEASE = Duration.ofSeconds(6);
    private static final String SLOW = "replicas/slow";
    private static final String TIMING_OUT = "replicas/timing-out";
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{([^}]*)\\} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");

    private static EmbeddedPostgres postgres;
    private static Connection superuser;
    private static RedisServer redis;
    private static Replica first;
    private static Replica second;

    private final HttpClient http = HttpClient.newHttpClient();

    /** One Quarry process and the port it serves on. */
    private record Replica(String name, PackagedApp app, int port) {

        static Replica start(String name, Map<String, String> environment) throws IOException {
            int port = PackagedApp.freePort();
            Map<String, String> settings = new HashMap<>(environment);
            settings.putAll(Map.of(
                    "QUARKUS_HTTP_PORT", Integer.toString(port),
                    "QUARRY_TEMPLATES_DIRECTORY", Path.of("src/test/resources/templates-replicas").toAbsolutePath().toString(),
                    "QUARRY_CACHE_REDIS_URL", redis.url(),
                    "QUARRY_CACHE_REDIS_LEASE", LEASE.toMillis() + "ms"));
            return new Replica(name, PackagedApp.start(name, settings), port);
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A PostgreSQL of the test's own (which outlives the replicas, one of which is killed), with its
     * statement log on hand; the replicas attach to it. The second starts once the first is ready, so
     * that only the first loads TPC-H into a new data directory.
     */
    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(PackagedApp.DATA);
        postgres = EmbeddedPostgres.builder().setDataDirectory(PackagedApp.DATA).setCleanDataDirectory(false)
                .setPort(PackagedApp.POSTGRES_PORT).setServerConfig("listen_addresses", "localhost")
                .setServerConfig("logging_collector", "on").start();
        superuser = postgres.getDatabase("postgres", "postgres").getConnection();
        redis = RedisServer.start();
        first = Replica.start("replica-first-it", Map.of());
        awaitReady(first);
        second = Replica.start("replica-second-it", Map.of());
        awaitReady(second);
        // a first query on each, so that the tests' queries find connections open and code warm
        HttpClient client = HttpClient.newHttpClient();
        for (Replica replica : List.of(first, second)) {
            assertThat(client.send(HttpRequest.newBuilder(replica.uri("/queries/" + SLOW + "?tag=warm-up-" + tag())).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Replica replica : new Replica[] { first, second }) {
            if (replica != null) {
                replica.app().close();
            }
        }
        if (redis != null) {
            redis.close();
        }
        if (superuser != null) {
            superuser.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void concurrentRequestsOnBothReplicasRunTheStatementOnceAndGetTheSameAnswer() throws Exception {
        String tag = tag();
        String path = "/queries/" + SLOW + "?seconds=1&tag=" + tag;
        Map<Replica, Map<String, Double>> before = Map.of(first, cacheMeters(first, SLOW), second, cacheMeters(second, SLOW));
        double firstRan = executions(first, SLOW, "ok");
        double secondRan = executions(second, SLOW, "ok");

        List<HttpResponse<String>> responses;
        try (StatementLog log = StatementLog.start(superuser)) {
            responses = concurrently(path, 4);
            assertThat(executionsTagged(log, tag)).as("statements PostgreSQL ran for the eight requests").isEqualTo(1);
        }

        assertSameAnswer(responses, tag);
        double ranOnFirst = executions(first, SLOW, "ok") - firstRan;
        double ranOnSecond = executions(second, SLOW, "ok") - secondRan;
        assertThat(ranOnFirst + ranOnSecond).as("quarry_query_seconds_count over both replicas").isEqualTo(1);
        Replica ran = ranOnFirst == 1 ? first : second;
        Replica waited = ran == first ? second : first;
        // the replica that ran it: one miss, its other requests joined it; the other: one answer from the
        // shared tier, which its other requests joined, and no miss, as it ran nothing
        assertThat(delta(ran, before.get(ran))).containsEntry("miss", 1.0).containsEntry("coalesced", 3.0)
                .containsEntry("shared", 0.0);
        assertThat(delta(waited, before.get(waited))).containsEntry("miss", 0.0).containsEntry("coalesced", 3.0)
                .containsEntry("shared", 1.0);

        // kept on both now: a hit on either, the same bytes, with the Age of the one execution
        for (Replica replica : List.of(first, second)) {
            HttpResponse<String> kept = get(replica, path);
            assertThat(kept.body()).isEqualTo(responses.get(0).body());
            assertThat(kept.headers().firstValue("ETag")).isEqualTo(responses.get(0).headers().firstValue("ETag"));
            assertThat(kept.headers().firstValue("Age")).isPresent();
            assertThat(delta(replica, before.get(replica))).containsEntry("hit", 1.0);
        }
        assertThat(executions(first, SLOW, "ok") + executions(second, SLOW, "ok")).isEqualTo(firstRan + secondRan + 1);
    }

    @Test
    @Order(2)
    void aFailingStatementReachesTheClientsOfBothReplicasAsTheSameProblemAndIsNotStored() throws Exception {
        String tag = tag();
        String path = "/queries/" + TIMING_OUT + "?seconds=3&tag=" + tag;
        double firstTimedOut = executions(first, TIMING_OUT, "timeout");
        double secondTimedOut = executions(second, TIMING_OUT, "timeout");

        List<HttpResponse<String>> responses = concurrently(path, 3);

        for (HttpResponse<String> response : responses) {
            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body()).isEqualTo(responses.get(0).body());
        }
        JsonNode problem = JSON.readTree(responses.get(0).body());
        assertThat(problem.path("title").asText()).isEqualTo("Query timed out");
        assertThat(problem.path("instance").asText()).isEqualTo("/queries/" + TIMING_OUT);
        // a failure is not stored: the replica that waited on the lease takes it when it is released and
        // runs the statement itself; each replica's requests share its one execution
        assertThat(executions(first, TIMING_OUT, "timeout") - firstTimedOut).isEqualTo(1);
        assertThat(executions(second, TIMING_OUT, "timeout") - secondTimedOut).isEqualTo(1);

        HttpResponse<String> again = get(first, path);
        assertThat(again.statusCode()).isEqualTo(504);
        assertThat(again.body()).isEqualTo(responses.get(0).body());
        assertThat(executions(first, TIMING_OUT, "timeout") - firstTimedOut).as("the next request ran again").isEqualTo(2);
    }

    @Test
    @Order(3)
    void withRedisAwayEachReplicaAnswersOnItsOwnAndSharesAgainOnceItIsBack() throws Exception {
        int port = redis.port();
        redis.close();
        String tag = tag();
        String path = "/queries/" + SLOW + "?seconds=1&tag=" + tag;
        double firstRan = executions(first, SLOW, "ok");
        double secondRan = executions(second, SLOW, "ok");

        assertSameAnswer(concurrently(path, 3), tag);
        assertThat(executions(first, SLOW, "ok") - firstRan).as("executions on the first replica").isEqualTo(1);
        assertThat(executions(second, SLOW, "ok") - secondRan).as("executions on the second replica").isEqualTo(1);
        for (Replica replica : List.of(first, second)) {
            assertThat(replica.app().output()).contains("The shared cache (Redis) did not answer");
        }

        redis = RedisServer.start(port);
        String later = tag();
        try (StatementLog log = StatementLog.start(superuser)) {
            assertSameAnswer(concurrently("/queries/" + SLOW + "?seconds=1&tag=" + later, 3), later);
            assertThat(executionsTagged(log, later)).as("statements PostgreSQL ran with Redis back").isEqualTo(1);
        }
        // the Redis client's new connections did not register its per-connection meters again
        for (Replica replica : List.of(first, second)) {
            assertThat(replica.app().output()).doesNotContain("has been already registered");
            assertThat(get(replica, "/q/metrics").body()).doesNotContain("clientType=\"redis\"");
        }
    }

    @Test
    @Order(4)
    void whenTheReplicaHoldingTheLeaseDiesTheOtherTakesItOnceItExpiresAndAnswersItsClients() throws Exception {
        String tag = tag();
        String path = "/queries/" + SLOW + "?seconds=2&tag=" + tag;
        double secondRan = executions(second, SLOW, "ok");

        List<HttpResponse<String>> answered;
        try (StatementLog log = StatementLog.start(superuser)) {
            long asked = System.nanoTime();
            CompletableFuture<HttpResponse<String>> cut = send(first, path);
            await(Duration.ofSeconds(10), () -> running() == 1, "the first replica's statement running");
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(send(second, path));
            }
            Thread.sleep(300); // the second replica's requests find the lease taken and wait on it
            first.app().process().destroyForcibly().waitFor();

            answered = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> response : waiting) {
                answered.add(response.get(30, TimeUnit.SECONDS));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("the second replica waited for the lease to expire")
                    .isGreaterThanOrEqualTo(LEASE);
            assertThat(cut).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(IOException.class);
            assertThat(executionsTagged(log, tag)).as("the killed replica's statement and the second's").isEqualTo(2);
        }
        assertSameAnswer(answered, tag);
        assertThat(executions(second, SLOW, "ok") - secondRan).isEqualTo(1);
    }

    /** Every response is 200 with the same body and ETag: the three rows with the tag. */
    private static void assertSameAnswer(List<HttpResponse<String>> responses, String tag) throws IOException {
        for (HttpResponse<String> response : responses) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(responses.get(0).body());
            assertThat(response.headers().firstValue("ETag")).isPresent().isEqualTo(responses.get(0).headers().firstValue("ETag"));
        }
        JsonNode rows = JSON.readTree(responses.get(0).body()).path("rows");
        assertThat(rows).hasSize(3);
        for (int n = 1; n <= 3; n++) {
            JsonNode row = rows.get(n - 1);
            assertThat(row.path("n").asInt()).isEqualTo(n);
            assertThat(new BigDecimal(row.path("share").asText()))
                    .isEqualByComparingTo(BigDecimal.valueOf(n).divide(BigDecimal.valueOf(8)));
            assertThat(row.path("tag").asText()).isEqualTo(tag);
            assertThat(row.path("slept_for_replicas").asBoolean()).isTrue();
        }
    }

    /** The same request, {@code each} times on each replica, sent at once, alternating between them. */
    private List<HttpResponse<String>> concurrently(String path, int each) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            sent.add(send(first, path));
            sent.add(send(second, path));
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : sent) {
            responses.add(response.get(30, TimeUnit.SECONDS));
        }
        return responses;
    }

    private CompletableFuture<HttpResponse<String>> send(Replica replica, String path) {
        return http.sendAsync(HttpRequest.newBuilder(replica.uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(Replica replica, String path) throws Exception {
        return send(replica, path).get(30, TimeUnit.SECONDS);
    }

    /** Database executions of the template on this replica with this outcome, as quarry_query_seconds counts them. */
    private double executions(Replica replica, String template, String outcome) throws Exception {
        return sum(replica, "quarry_query_seconds_count", Map.of("template", template, "outcome", outcome));
    }

    /** quarry_cache_requests_total of the template on this replica, by source. */
    private Map<String, Double> cacheMeters(Replica replica, String template) throws Exception {
        Map<String, Double> bySource = new HashMap<>();
        for (String source : List.of("hit", "stale", "coalesced", "miss", "shared")) {
            bySource.put(source, sum(replica, "quarry_cache_requests_total", Map.of("template", template, "source", source)));
        }
        return bySource;
    }

    private Map<String, Double> delta(Replica replica, Map<String, Double> before) throws Exception {
        Map<String, Double> now = cacheMeters(replica, SLOW);
        now.replaceAll((source, count) -> count - before.get(source));
        return now;
    }

    /** The sum of a meter's samples on /q/metrics whose labels include these; zero when there is none yet. */
    private double sum(Replica replica, String name, Map<String, String> labels) throws Exception {
        double sum = 0;
        for (String line : get(replica, "/q/metrics").body().lines().toList()) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches() || !sample.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new HashMap<>();
            Matcher label = LABEL.matcher(sample.group(2));
            while (label.find()) {
                found.put(label.group(1), label.group(2));
            }
            if (found.entrySet().containsAll(labels.entrySet())) {
                sum += Double.parseDouble(sample.group(3));
            }
        }
        return sum;
    }

    /** Executions PostgreSQL logged with this tag among their bound values. */
    private static long executionsTagged(StatementLog log, String tag) throws Exception {
        return log.entries().stream()
                .filter(entry -> entry.application().equals("quarry") && entry.message().startsWith("execute")
                        && !entry.message().startsWith("execute fetch from") && entry.detail().contains("'" + tag))
                .count();
    }

    /** Statements of replicas/slow running in PostgreSQL now. */
    private static int running() {
        try (Statement statement = superuser.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'quarry' "
                        + "AND state = 'active' AND query LIKE '%slept_for_replicas%'")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitReady(Replica replica) throws Exception {
        replica.app().awaitReady(replica.uri("/"), Duration.ofMinutes(3));
    }

    private static void await(Duration within, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static String tag() {
        return UUID.randomUUID().toString();
    }
}
