package dev.quarry.blackbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A replica's memory every 30 s of the soak: the heap in use (its Micrometer gauge) and the process's resident set. */
final class SoakMemory implements AutoCloseable {

    static final Duration EVERY = Duration.ofSeconds(30);

    /** One reading, in MiB. */
    record Sample(long heap, long rss) {
    }

    private final URI metrics;
    private final long pid;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Queue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();

    private SoakMemory(URI replica, long pid) {
        this.metrics = replica.resolve("/q/metrics");
        this.pid = pid;
    }

    static SoakMemory start(URI replica, long pid) {
        SoakMemory memory = new SoakMemory(replica, pid);
        memory.clock.scheduleAtFixedRate(memory::sample, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return memory;
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** One more reading now (the last, at the end of the load). */
    void sample() {
        try {
            samples.add(new Sample(heapBytes() >> 20, rssKilobytes() >> 10));
        } catch (IOException e) {
            // a reading missed (the report shows how many were taken); the next one comes in 30 s
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The sum of jvm_memory_used_bytes over the heap's pools. */
    private long heapBytes() throws IOException, InterruptedException {
        String text = http
                .send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        return (long) text.lines().filter(line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private long rssKilobytes() throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream().filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
