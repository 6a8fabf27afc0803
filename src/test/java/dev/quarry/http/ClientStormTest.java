package dev.quarry.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.quarry.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * 200 SSE clients at once, on a query that computes for ten seconds and on one that streams
 * 300,000 rows, each hanging up at a random moment: while running, while reading rows, or while
 * still waiting for one of the pool's 20 connections. Afterwards nothing of them may be left: no
 * statement in PostgreSQL, no connection in use, no heap, no thread; each is counted as cancelled.
 */
@QuarkusTest
class ClientStormTest {

    private static final int CLIENTS = 200;
    /** Replay a failure with -Dquarry.storm.seed=N (the seed is in the failure message). */
    private static final long SEED = Long.getLong("quarry.storm.seed", System.nanoTime());
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(4);
    private static final Duration SETTLED = Duration.ofSeconds(20);
    /**
     * Used heap after a full GC may differ by what lives on regardless of the storm (meters and
     * caches warmed by it, G1's region granularity): 16 MB. A leak of what a client holds (a row
     * batch of 500 rows, its connection's buffers) would be 200 times that, well above.
     */
    private static final long HEAP_TOLERANCE = 16L * 1024 * 1024;
    private static final List<String> QUERIES = List.of("test/slow-aggregate", "test/many-rows");

    @TestHTTPResource("/")
    URL base;

    @Inject
    MeterRegistry registry;

    /** How one client's stream went before it hung up. */
    private record Client(String query, long delayMillis, int status, boolean sawMeta, int rows, boolean ended, String refusal) {
    }

    @Test
    void twoHundredClientsHangingUpAtRandomLeaveNothingBehind() throws Exception {
        String replay = "seed " + SEED;
        warmUp();
        double cancelledBefore = cancelled();
        long heapBefore = usedHeapAfterGc();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        Random random = new Random(SEED);
        List<String> queries = new ArrayList<>();
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            queries.add(QUERIES.get(random.nextInt(QUERIES.size())));
            delays.add(200 + (long) random.nextInt((int) LONGEST_WAIT.toMillis() - 200));
        }
        Queue<Client> clients = new ConcurrentLinkedQueue<>();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService readers = Executors.newFixedThreadPool(CLIENTS);
        ScheduledExecutorService hangUps = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch ready = new CountDownLatch(CLIENTS);
        long started = System.nanoTime();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                String query = queries.get(i);
                long delay = delays.get(i);
                readers.submit(() -> {
                    ready.countDown();
                    try {
                        ready.await();
                        clients.add(hangUpAfter(query, delay, hangUps));
                    } catch (Exception | AssertionError e) {
                        failures.add(query + " after " + delay + " ms: " + e);
                    }
                    return null;
                });
            }
        } finally {
            readers.shutdown();
            assertThat(readers.awaitTermination(60, TimeUnit.SECONDS)).as("every client ended (%s)", replay).isTrue();
            hangUps.shutdown();
            assertThat(hangUps.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        long storm = System.nanoTime() - started;

        assertThat(failures).as("clients that failed (%s)", replay).isEmpty();
        List<Client> streamed = clients.stream().filter(client -> client.status() == 200).toList();
        // a concurrency limit may refuse some, as an explicit 503 problem and never by hanging
        assertThat(clients.stream().filter(client -> client.status() != 200))
                .as("clients refused (%s)", replay).allMatch(client -> client.status() == 503 && client.refusal() != null);
        assertThat(streamed).as("clients that got a stream (%s)", replay).isNotEmpty()
                .allMatch(Client::sawMeta);
        assertThat(streamed).as("clients that read rows (%s)", replay).anyMatch(client -> client.rows() > 0);

        awaitTrue(() -> serviceStatements().isEmpty());
        assertThat(serviceStatements()).as("statements of the service still in PostgreSQL (%s)", replay).isEmpty();
        awaitTrue(() -> poolActive() == 0);
        assertThat(poolActive()).as("connections in use (%s)", replay).isZero();
        long hungUp = streamed.stream().filter(client -> !client.ended()).count();
        awaitTrue(() -> cancelled() - cancelledBefore >= hungUp);
        assertThat(cancelled() - cancelledBefore).as("streams counted as cancelled (%s)", replay).isEqualTo(hungUp);

        long settled = System.nanoTime() - started - storm;
        long heapAfter = usedHeapAfterGc();
        int threadsAfter = awaitThreadsBackTo(threadsBefore);
        System.out.printf("storm: %d clients (%s), %d streams, %d cancelled, all hung up within %d ms, nothing left %d ms later; "
                + "heap %.1f MB before, %.1f MB after; threads %d before, %d after%n", CLIENTS, replay, streamed.size(), hungUp,
                TimeUnit.NANOSECONDS.toMillis(storm), TimeUnit.NANOSECONDS.toMillis(settled),
                heapBefore / 1e6, heapAfter / 1e6, threadsBefore, threadsAfter);
        assertThat(heapAfter).as("used heap after the storm, baseline %d bytes (%s)", heapBefore, replay)
                .isLessThan(heapBefore + HEAP_TOLERANCE);
        assertThat(threadsAfter).as("threads after the storm (%s)", replay).isLessThanOrEqualTo(threadsBefore);
    }

    /** Opens a stream, reads it until the hang-up closes the socket from another thread, and says how far it got. */
    private Client hangUpAfter(String query, long delayMillis, ScheduledExecutorService hangUps) throws IOException {
        String path = query.equals("test/slow-aggregate") ? "/queries/test/slow-aggregate?seconds=1" : "/queries/test/many-rows?rows=300000";
        SseClient client = new SseClient(base, path);
        hangUps.schedule(() -> {
            client.close();
            return null;
        }, delayMillis, TimeUnit.MILLISECONDS);
        if (client.status != 200) {
            assertThat(client.contentType).startsWith("application/problem+json");
            return new Client(query, delayMillis, client.status, false, 0, false, client.contentType);
        }
        boolean sawMeta = false;
        int rows = 0;
        try {
            for (SseClient.Event event = client.next(); event != null; event = client.next()) {
                switch (event.name()) {
                    case "meta" -> sawMeta = true;
                    case "row" -> rows++;
                    // a stream that wins the race against its hang-up is not cancelled, but must be whole
                    case "end" -> assertThat(rows).isEqualTo(300_000);
                    default -> throw new AssertionError("a " + event.name() + " event before the hang-up: " + event.data());
                }
            }
            return new Client(query, delayMillis, 200, sawMeta, rows, true, null);
        } catch (IOException closedByTheHangUp) {
            return new Client(query, delayMillis, 200, sawMeta, rows, false, null);
        }
    }

    /** Loads what a first stream and a first cancellation load, so the baseline is not taken cold. */
    private void warmUp() throws Exception {
        ScheduledExecutorService hangUps = Executors.newSingleThreadScheduledExecutor();
        try {
            for (String query : QUERIES) {
                hangUpAfter(query, 300, hangUps);
            }
        } finally {
            hangUps.shutdown();
            hangUps.awaitTermination(5, TimeUnit.SECONDS);
        }
        awaitTrue(() -> poolActive() == 0);
    }

    private double cancelled() {
        return QUERIES.stream().mapToDouble(query -> {
            Timer timer = registry.find("quarry.query").tags("template", query, "format", "sse", "outcome", "cancelled").timer();
            return timer == null ? 0 : timer.count();
        }).sum();
    }

    private double poolActive() {
        return registry.get("sql.pool.active").gauge().value();
    }

    /** What the service's sessions do other than wait for the next statement. */
    private static List<String> serviceStatements() {
        try (Connection connection = TestDatabase.connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT state || ': ' || query FROM pg_stat_activity "
                        + "WHERE application_name = 'quarry' AND state <> 'idle'")) {
            List<String> statements = new ArrayList<>();
            while (rs.next()) {
                statements.add(rs.getString(1));
            }
            return statements;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /** Worker threads started for the storm may idle a while before they end. */
    private static int awaitThreadsBackTo(int threads) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLED.toNanos();
        int now = ManagementFactory.getThreadMXBean().getThreadCount();
        while (now > threads && System.nanoTime() < deadline) {
            Thread.sleep(200);
            now = ManagementFactory.getThreadMXBean().getThreadCount();
        }
        return now;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLED.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }
}
