package dev.quarry.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.SseClient;
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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 200;
    /** Replay a failure with -Dquarry.storm.seed=N (the seed is in the failure message). */
    private static final long SEED = Long.getLong("quarry.storm.seed", System.nanoTime());
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(4);
    private static final Duration SETTLED = Duration.ofSeconds(20);
    /**
     * Used heap after full GCs differed by 0 to 0.6 MB over the storm in the runs made here; 8 MB
     * leaves room for that noise while 40 KB kept per client (less than one cursor batch of 500
     * rows with its encoded events) would already cross it.
     */
    private static final long HEAP_TOLERANCE = 8L * 1024 * 1024;
    /**
     * Pools that start their threads lazily (Vert.x event loops, the worker pool) may add a few the
     * first time they see this much load in a fresh JVM (8 in a clean clone's run); a thread left
     * behind per client would add up to 200. The names of the new threads are in the failure.
     */
    private static final int THREAD_TOLERANCE = 16;
    private static final List<String> QUERIES = List.of("test/slow-aggregate", "test/many-rows");

    @TestHTTPResource("/")
    URL base;

    @Inject
    MeterRegistry registry;

    private enum Outcome {
        /** The client hung up mid-stream: the case under test. */
        HUNG_UP,
        /** The stream won the race against its hang-up; it must then be whole. */
        ENDED,
        /** Refused as a 503 problem (a concurrency bound), before or after the stream began. */
        REFUSED
    }

    /** How one client's stream went before it hung up. */
    private record Client(String query, long delayMillis, boolean sawMeta, int rows, Outcome outcome) {
    }

    @Test
    void twoHundredClientsHangingUpAtRandomLeaveNothingBehind() throws Exception {
        String replay = "seed " + SEED;
        warmUp();
        double cancelledBefore = cancelled();
        Timer connectionWaits = registry.get("sql.pool.queue.delay").timer();
        long waitsBefore = connectionWaits.count();
        double waitedBefore = connectionWaits.totalTime(TimeUnit.MILLISECONDS);
        long heapBefore = usedHeapAfterGc();
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();

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
        assertThat(clients).hasSize(CLIENTS);
        List<Client> hungUp = clients.stream().filter(client -> client.outcome() == Outcome.HUNG_UP).toList();
        assertThat(hungUp).as("clients that hung up mid-stream (%s)", replay).isNotEmpty().allMatch(Client::sawMeta);
        assertThat(hungUp).as("clients that hung up while rows flowed (%s)", replay).anyMatch(client -> client.rows() > 0);
        assertThat(hungUp).as("clients that hung up while their query computed or waited for a connection (%s)", replay)
                .anyMatch(client -> client.query().equals("test/slow-aggregate"));

        // 20 connections for up to 200 streams: most clients waited for one, and some hung up waiting
        double averageWait = (connectionWaits.totalTime(TimeUnit.MILLISECONDS) - waitedBefore) / (connectionWaits.count() - waitsBefore);
        assertThat(averageWait).as("average wait for a connection in ms (%s)", replay).isGreaterThan(100);
        awaitTrue(() -> TestDatabase.serviceActivity().isEmpty());
        assertThat(TestDatabase.serviceActivity()).as("statements of the service still in PostgreSQL (%s)", replay).isEmpty();
        awaitTrue(() -> poolActive() == 0);
        assertThat(poolActive()).as("connections in use (%s)", replay).isZero();
        awaitTrue(() -> cancelled() - cancelledBefore >= hungUp.size());
        assertThat(cancelled() - cancelledBefore).as("streams counted as cancelled (%s)", replay).isEqualTo(hungUp.size());

        long settled = System.nanoTime() - started - storm;
        long heapAfter = usedHeapAfterGc();
        List<String> newThreads = awaitNewThreadsAtMost(threadsBefore, THREAD_TOLERANCE);
        System.out.printf("storm: %d clients (%s), %d hung up mid-stream, %d ended first, %d refused, "
                + "%.0f ms average wait for a connection; all hung up within %d ms, nothing left %d ms later; "
                + "heap %.1f MB before, %.1f MB after; threads %d before, %d after%n", CLIENTS, replay, hungUp.size(),
                count(clients, Outcome.ENDED), count(clients, Outcome.REFUSED), averageWait,
                TimeUnit.NANOSECONDS.toMillis(storm), TimeUnit.NANOSECONDS.toMillis(settled),
                heapBefore / 1e6, heapAfter / 1e6, threadsBefore.size(), threadsBefore.size() + newThreads.size());
        assertThat(heapAfter).as("used heap after the storm, baseline %d bytes (%s)", heapBefore, replay)
                .isLessThan(heapBefore + HEAP_TOLERANCE);
        assertThat(newThreads).as("threads started during the storm and still alive (%s)", replay)
                .hasSizeLessThanOrEqualTo(THREAD_TOLERANCE);
    }

    /** Opens a stream, reads it until the hang-up closes the socket from another thread, and says how far it got. */
    private Client hangUpAfter(String query, long delayMillis, ScheduledExecutorService hangUps) throws IOException {
        String path = query.equals("test/slow-aggregate") ? "/queries/test/slow-aggregate?seconds=1"
                : "/queries/test/many-rows?rows=300000";
        SseClient client = new SseClient(base, path);
        hangUps.schedule(() -> {
            client.close();
            return null;
        }, delayMillis, TimeUnit.MILLISECONDS);
        if (client.status != 200) {
            assertThat(client.status).isEqualTo(503);
            assertThat(client.contentType).startsWith("application/problem+json");
            return new Client(query, delayMillis, false, 0, Outcome.REFUSED);
        }
        boolean sawMeta = false;
        int rows = 0;
        try {
            for (SseClient.Event event = client.next(); event != null; event = client.next()) {
                switch (event.name()) {
                    case "meta" -> sawMeta = true;
                    case "row" -> rows++;
                    case "end" -> {
                        assertThat(rows).isEqualTo(300_000);
                        return new Client(query, delayMillis, sawMeta, rows, Outcome.ENDED);
                    }
                    case "error" -> {
                        JsonNode problem = JSON.readTree(event.data());
                        assertThat(problem.get("status").asInt()).as(event.data()).isEqualTo(503);
                        return new Client(query, delayMillis, sawMeta, rows, Outcome.REFUSED);
                    }
                    default -> throw new AssertionError("a " + event.name() + " event: " + event.data());
                }
            }
            throw new AssertionError("the stream stopped without an end or error event, after " + rows + " rows");
        } catch (IOException closedByTheHangUp) {
            return new Client(query, delayMillis, sawMeta, rows, Outcome.HUNG_UP);
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

    private static long count(Queue<Client> clients, Outcome outcome) {
        return clients.stream().filter(client -> client.outcome() == outcome).count();
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
    /** The threads alive now that were not before, once they are at most {@code tolerance} (or the wait is over). */
    private static List<String> awaitNewThreadsAtMost(Set<Thread> before, int tolerance) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLED.toNanos();
        List<String> started = startedSince(before);
        while (started.size() > tolerance && System.nanoTime() < deadline) {
            Thread.sleep(200);
            started = startedSince(before);
        }
        return started;
    }

    private static List<String> startedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> !before.contains(thread)).map(Thread::getName).sorted()
                .toList();
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLED.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }
}
