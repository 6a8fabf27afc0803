package dev.quarry.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.Await;
import dev.quarry.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Quotas per caller (the token's subject): one request running and one waiting by default, three
 * running and none waiting for the role analyst ({@link Guarded}); beyond them 429 with Retry-After,
 * before anything runs, while other callers are served as before.
 */
@QuarkusTest
@TestProfile(Guarded.class)
class QuotaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void beyondItsRunningAndWaitingRequestsACallerGets429WhileAnotherCallerIsServed() throws Exception {
        double refusedBefore = BudgetTest.refusals("guarded/sleep", "quota");
        String alice = TestTokens.validFor("alice");
        CompletableFuture<HttpResponse<String>> running = send("/queries/guarded/sleep?seconds=2", "application/json", alice);
        Await.until(Duration.ofSeconds(10), () -> TestDatabase.serviceSleeping() == 1);
        CompletableFuture<HttpResponse<String>> waiting = send("/queries/guarded/sleep", "application/x-ndjson", alice);
        Thread.sleep(300);
        assertThat(waiting).isNotDone();

        Response refused = given().accept("application/json").auth().oauth2(alice).when().get("/queries/guarded/sleep");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        JsonNode problem = JSON.readTree(refused.asString());
        assertThat(problem.path("title").asText()).isEqualTo("Too many requests");
        assertThat(problem.path("running").asInt()).isEqualTo(1);
        assertThat(problem.path("waiting").asInt()).isEqualTo(1);
        assertThat(problem.path("detail").asText()).startsWith("caller subject alice has 1 request(s) running and 1 waiting");
        // a stream is refused the same way, before its first byte
        assertThat(given().accept("text/event-stream").auth().oauth2(alice).when().get("/queries/guarded/sleep").statusCode())
                .isEqualTo(429);
        assertThat(BudgetTest.refusals("guarded/sleep", "quota")).isEqualTo(refusedBefore + 2);

        // another caller is not held back by alice's requests
        long started = System.nanoTime();
        given().accept("application/json").auth().oauth2(TestTokens.validFor("bob")).when().get("/queries/guarded/sleep")
                .then().statusCode(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(running).isNotDone();

        HttpResponse<String> first = running.get(10, TimeUnit.SECONDS);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).at("/rows/0/slept").asBoolean()).isFalse();
        HttpResponse<String> second = waiting.get(10, TimeUnit.SECONDS);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("{\"slept\":false}\n");
        // once both ended, alice runs again
        given().accept("application/json").auth().oauth2(alice).when().get("/queries/guarded/sleep").then().statusCode(200);
    }

    @Test
    void aRolesQuotaReplacesTheGlobalOne() throws Exception {
        String carol = TestTokens.validFor("carol", "analyst");
        List<CompletableFuture<HttpResponse<String>>> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // distinct values, so that no two of them share an execution
            three.add(send("/queries/guarded/sleep?seconds=5." + i, "application/json", carol));
        }
        // all three run at once, and the role allows none waiting
        Await.until(Duration.ofSeconds(10), () -> TestDatabase.serviceSleeping() == 3);
        Response refused = given().accept("application/json").auth().oauth2(carol).when().get("/queries/guarded/sleep");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(refused.asString()).path("running").asInt()).isEqualTo(3);
        assertThat(JSON.readTree(refused.asString()).path("waiting").asInt()).isZero();
        assertThat(three).noneMatch(CompletableFuture::isDone);
        for (CompletableFuture<HttpResponse<String>> request : three) {
            assertThat(request.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aWaitingStreamWhoseClientLeavesGivesUpItsPlace() throws Exception {
        leavesItsPlace("dave", "application/x-ndjson");
    }

    @Test
    void aWaitingPageWhoseClientLeavesGivesUpItsPlace() throws Exception {
        leavesItsPlace("erin", "application/json");
    }

    private void leavesItsPlace(String subject, String accept) throws Exception {
        String token = TestTokens.validFor(subject);
        CompletableFuture<HttpResponse<String>> running = send("/queries/guarded/sleep?seconds=1.5", "application/json", token);
        Await.until(Duration.ofSeconds(10), () -> TestDatabase.serviceSleeping() == 1);
        CompletableFuture<HttpResponse<String>> leaving = send("/queries/guarded/sleep", accept, token);
        Thread.sleep(300);
        leaving.cancel(true);
        // the place it left is free: another request waits in it rather than being refused
        CompletableFuture<HttpResponse<String>> next = send("/queries/guarded/sleep", "application/x-ndjson", token);
        Thread.sleep(300);
        assertThat(next).isNotDone();
        assertThat(running.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(next.get(10, TimeUnit.SECONDS).body()).isEqualTo("{\"slept\":false}\n");
    }

    private CompletableFuture<HttpResponse<String>> send(String path, String accept, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()).resolve(path)).header("Accept", accept)
                .header("Authorization", "Bearer " + token).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
