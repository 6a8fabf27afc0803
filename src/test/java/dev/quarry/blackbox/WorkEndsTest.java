package dev.quarry.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.Await;
import dev.quarry.SseClient;
import dev.quarry.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A timeout or a client that leaves ends the work in PostgreSQL, not only the response: a second
 * after the requests ended, no backend of the service still runs their statements (pg_stat_activity),
 * with sixteen of them at once and point lookups going on beside them, which must all be answered. A
 * page that several clients share runs until the last of them leaves.
 */
@QuarkusTest
class WorkEndsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int AT_ONCE = 16;

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean loading = new AtomicBoolean();
    private final AtomicInteger lookups = new AtomicInteger();
    private final List<String> failedLookups = new ArrayList<>();
    private Thread load;

    /** Point lookups one after the other beside the test, each checked. */
    @BeforeEach
    void startLookups() {
        loading.set(true);
        load = new Thread(() -> {
            while (loading.get()) {
                int key = lookups.incrementAndGet() % 7 + 1;
                try {
                    HttpResponse<String> answer = send("/queries/tpch/order?orderkey=" + key, "application/json").get(10, TimeUnit.SECONDS);
                    if (answer.statusCode() != 200 || JSON.readTree(answer.body()).at("/rows/0/o_orderkey").asInt() != key) {
                        failedLookups.add(answer.statusCode() + " " + answer.body());
                    }
                } catch (Exception e) {
                    failedLookups.add(e.toString());
                }
            }
        });
        load.start();
    }

    @AfterEach
    void lookupsWereAllAnswered() throws InterruptedException {
        loading.set(false);
        load.join(10_000);
        assertThat(lookups.get()).isGreaterThan(AT_ONCE);
        assertThat(failedLookups).isEmpty();
    }

    @Test
    void streamsWhoseClientsLeaveLeaveNoStatementRunning() throws Exception {
        List<SseClient> clients = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
            // ten sleeps of half a second each, before the one row: nothing of it is sent before they all end
            SseClient client = new SseClient(base, "/queries/test/slow-aggregate?seconds=0.5" + i);
            assertThat(client.next().name()).isEqualTo("meta");
            clients.add(client);
        }
        allLeave(clients);
    }

    @Test
    void pagesWhoseClientsLeaveLeaveNoStatementRunning() throws Exception {
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
            clients.add(askForPage("/queries/test/slow-aggregate?seconds=0.5" + i));
        }
        allLeave(clients);
    }

    @Test
    void aPageSharedByTwoClientsRunsUntilTheLastLeaves() throws Exception {
        String path = "/queries/test/slow-aggregate?seconds=0.3";
        Socket leaving = askForPage(path);
        Await.until(Duration.ofSeconds(20), () -> TestDatabase.serviceSleeping() == 1);
        // the same request joins the statement running: one leaving does not stop it for the other
        CompletableFuture<HttpResponse<String>> staying = send(path, "application/json");
        Thread.sleep(300);
        leaving.close();
        HttpResponse<String> answer = staying.get(20, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).at("/rows/0/total").asInt()).isEqualTo(55);

        Socket first = askForPage(path);
        Await.until(Duration.ofSeconds(20), () -> TestDatabase.serviceSleeping() == 1);
        Socket second = askForPage(path);
        Thread.sleep(300);
        first.close();
        second.close();
        Thread.sleep(1000);
        assertThat(sleeping()).isEmpty();
    }

    @Test
    void timedOutPagesAndStreamsLeaveNoStatementRunning() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
            // 500 ms of statement timeout for a sleep of 5 s
            requests.add(send("/queries/test/sleep-briefly?seconds=5.0" + i, i % 2 == 0 ? "application/json" : "application/x-ndjson"));
        }
        for (int i = 0; i < AT_ONCE; i++) {
            HttpResponse<String> answer = requests.get(i).get(20, TimeUnit.SECONDS);
            if (i % 2 == 0) {
                assertThat(answer.statusCode()).isEqualTo(504);
                assertThat(JSON.readTree(answer.body()).path("title").asText()).isEqualTo("Query timed out");
            } else {
                // the stream began (200) before its statement timed out: its last line says so
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(answer.body().strip()).at("/error/status").asInt()).isEqualTo(504);
            }
        }
        Thread.sleep(1000);
        assertThat(sleeping()).isEmpty();
    }

    /** Once each client's statement runs, every client leaves: a second later, none of their statements is left. */
    private static void allLeave(List<? extends AutoCloseable> clients) throws Exception {
        Await.until(Duration.ofSeconds(20), () -> TestDatabase.serviceSleeping() == clients.size());
        for (AutoCloseable client : clients) {
            client.close();
        }
        Thread.sleep(1000);
        assertThat(sleeping()).isEmpty();
    }

    private static List<String> sleeping() {
        return TestDatabase.serviceActivity().stream().filter(activity -> activity.contains("pg_sleep")).toList();
    }

    /** A page asked for on a connection of its own, which the test closes to leave before the answer. */
    private Socket askForPage(String path) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private CompletableFuture<HttpResponse<String>> send(String path, String accept) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()).resolve(path)).header("Accept", accept).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
