package dev.quarry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.quarry.encode.Format;
import dev.quarry.render.RenderedQuery;
import io.vertx.core.Vertx;

/**
 * Two replicas' shared tiers against one real redis-server: a query runs once between them, under
 * one lease; failures are not stored; the dataset's version and the template separate entries; a
 * purge removes a template's answers for every replica; Redis being away costs nothing but sharing.
 */
class RedisTierTest {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Executor LATER = CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS);

    private static RedisServer server;
    private Vertx vertx;
    private RedisTier first;
    private RedisTier second;

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        server.close();
    }

    @BeforeEach
    void replicas() {
        vertx = Vertx.vertx();
        first = new RedisTier(vertx, server.url(), Duration.ofSeconds(10));
        second = new RedisTier(vertx, server.url(), Duration.ofSeconds(10));
    }

    @AfterEach
    void close() {
        first.close();
        second.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void twoReplicasAskingAtOnceRunTheQueryOnceAndGetTheSameAnswer() throws Exception {
        AnswerKey key = key("test/once", "v1", 7);
        AtomicInteger executions = new AtomicInteger();

        CompletableFuture<Answer> fromFirst = first.answer(key, TTL, slowly(executions, "[1,2,3]")).toCompletableFuture();
        Thread.sleep(50);
        CompletableFuture<Answer> fromSecond = second.answer(key, TTL, slowly(executions, "[1,2,3]")).toCompletableFuture();

        Answer a = fromFirst.get(5, TimeUnit.SECONDS);
        Answer b = fromSecond.get(5, TimeUnit.SECONDS);
        assertThat(executions).hasValue(1);
        assertThat(new String(b.body(), StandardCharsets.UTF_8)).isEqualTo("[1,2,3]");
        assertThat(b.etag()).isEqualTo(a.etag());
        assertThat(b.rows()).isEqualTo(a.rows());
        // when it was read travels with it: Age is the same on every replica
        assertThat(b.created().toEpochMilli()).isEqualTo(a.created().toEpochMilli());

        Answer later = second.answer(key, TTL, slowly(executions, "[4]")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(new String(later.body(), StandardCharsets.UTF_8)).isEqualTo("[1,2,3]");
        assertThat(executions).hasValue(1);
    }

    @Test
    void aFailureIsNotStoredAndTheWaitingReplicaRunsTheQueryItself() throws Exception {
        AnswerKey key = key("test/failing", "v1", 1);
        AtomicInteger executions = new AtomicInteger();
        Supplier<CompletionStage<Answer>> failing = () -> {
            executions.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> {
                throw new IllegalStateException("the database went away");
            }, LATER);
        };

        CompletableFuture<Answer> fromFirst = first.answer(key, TTL, failing).toCompletableFuture();
        Thread.sleep(50);
        CompletableFuture<Answer> fromSecond = second.answer(key, TTL, slowly(executions, "[9]")).toCompletableFuture();

        assertThat(fromFirst).failsWithin(Duration.ofSeconds(5)).withThrowableThat().withMessageContaining("the database went away");
        assertThat(new String(fromSecond.get(5, TimeUnit.SECONDS).body(), StandardCharsets.UTF_8)).isEqualTo("[9]");
        assertThat(executions).hasValue(2);
    }

    @Test
    void anotherDatasetVersionOrTemplateIsAnotherAnswer() throws Exception {
        AtomicInteger executions = new AtomicInteger();
        first.answer(key("test/versioned", "v1", 1), TTL, slowly(executions, "[old]")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        Answer newer = second.answer(key("test/versioned", "v2", 1), TTL, slowly(executions, "[new]")).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        Answer other = second.answer(key("test/other", "v1", 1), TTL, slowly(executions, "[other]")).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertThat(new String(newer.body(), StandardCharsets.UTF_8)).isEqualTo("[new]");
        assertThat(new String(other.body(), StandardCharsets.UTF_8)).isEqualTo("[other]");
        assertThat(executions).hasValue(3);
    }

    @Test
    void aPurgeRemovesOneTemplatesAnswersForEveryReplica() throws Exception {
        AtomicInteger executions = new AtomicInteger();
        first.answer(key("test/purged", "v1", 1), TTL, slowly(executions, "[a]")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        first.answer(key("test/purged", "v1", 2), TTL, slowly(executions, "[b]")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        first.answer(key("test/kept", "v1", 1), TTL, slowly(executions, "[c]")).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(second.purge(Optional.of("test/purged")).toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(2);

        second.answer(key("test/purged", "v1", 1), TTL, slowly(executions, "[a2]")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        Answer kept = second.answer(key("test/kept", "v1", 1), TTL, slowly(executions, "[c2]")).toCompletableFuture().get(5,
                TimeUnit.SECONDS);
        assertThat(new String(kept.body(), StandardCharsets.UTF_8)).isEqualTo("[c]");
        assertThat(executions).hasValue(4);
    }

    @Test
    void withRedisAwayTheReplicaRunsTheQueryItself() throws Exception {
        RedisTier away;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            away = new RedisTier(vertx, "redis://127.0.0.1:" + free.getLocalPort(), Duration.ofSeconds(10));
        }
        try {
            AtomicInteger executions = new AtomicInteger();
            Answer answer = away.answer(key("test/away", "v1", 1), TTL, slowly(executions, "[here]")).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("[here]");
            assertThat(executions).hasValue(1);
        } finally {
            away.close();
        }
    }

    private static AnswerKey key(String template, String dataset, int value) {
        return AnswerKey.of(template, Format.JSON, List.of(new RenderedQuery("SELECT $1::int AS n", List.of(value), List.of())), dataset);
    }

    /** An execution that takes 300 ms, as a query would, and counts itself. */
    private static Supplier<CompletionStage<Answer>> slowly(AtomicInteger executions, String body) {
        return () -> {
            executions.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> Answer.of(List.of(body.getBytes(StandardCharsets.UTF_8)), 3), LATER);
        };
    }
}
