package dev.quarry.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * Where the packaged server listens. With authentication off and no host set: on loopback only, so
 * 127.0.0.2 (another loopback address, which a server on every interface would answer) is refused.
 * A host that is set wins. Either way one startup line says where and why, and queries on many
 * connections at once leave no Micrometer warning about a meter registered twice.
 */
class ListenHostIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void withAuthenticationOffItListensOnLoopbackOnly() throws Exception {
        int port = PackagedApp.freePort();
        try (PackagedApp app = PackagedApp.start("listen-default-it", Map.of("QUARKUS_HTTP_PORT", Integer.toString(port)))) {
            awaitReady(app, "127.0.0.1", port);
            assertThat(PackagedApp.accepts("127.0.0.2", port)).as("reachable beyond 127.0.0.1").isFalse();
            assertThat(app.output()).contains("Serving HTTP on 127.0.0.1:" + port + " (loopback only): authentication is off");

            // twenty queries at once open several connections of the pool
            List<CompletableFuture<HttpResponse<String>>> queries = IntStream.range(0, 20)
                    .mapToObj(i -> http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/queries/tpch/q06")).build(), HttpResponse.BodyHandlers.ofString()))
                    .toList();
            for (CompletableFuture<HttpResponse<String>> query : queries) {
                assertThat(query.get().statusCode()).isEqualTo(200);
            }
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("sql_pool_queue_size").doesNotContain("postgresql_queue_size");
            assertThat(app.output()).doesNotContain("has been already registered").doesNotContain("WARN  [io.micrometer");
        }
    }

    @Test
    void aHostThatIsSetWins() throws Exception {
        int port = PackagedApp.freePort();
        try (PackagedApp app = PackagedApp.start("listen-host-it", Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                "QUARKUS_HTTP_HOST", "127.0.0.2"))) {
            awaitReady(app, "127.0.0.2", port);
            assertThat(PackagedApp.accepts("127.0.0.1", port)).isFalse();
            assertThat(app.output()).contains("Serving HTTP on 127.0.0.2:" + port + ": quarkus.http.host is set");
        }
    }

    private void awaitReady(PackagedApp app, String host, int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (status(host, port) != 200) {
            assertThat(app.process().isAlive()).as("the application is running; output:\n" + app.output()).isTrue();
            assertThat(System.nanoTime()).as("waiting for readiness on " + host).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private int status(String host, int port) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        }
    }
}
