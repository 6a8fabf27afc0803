package dev.quarry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

import dev.quarry.encode.Format;
import dev.quarry.execute.Cancellation;
import dev.quarry.render.RenderedQuery;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;

/**
 * An execution shared while it runs, as the requests waiting for it come and leave: it is cancelled
 * once the last of them has left, never while one still waits, and a request after that runs again.
 */
class AnswerCacheTest {

    private static final AnswerKey KEY = AnswerKey.of("test/shared", Format.JSON,
            List.of(new RenderedQuery("SELECT 1", List.of(), List.of())), AnswerKey.IN_FLIGHT);

    private final AnswerCache cache = new AnswerCache(new CacheSettings(Optional.empty(), new MemorySize(BigInteger.valueOf(1 << 20)),
            new MemorySize(BigInteger.valueOf(1 << 16)), Duration.ofSeconds(10)), new CacheMeters(new SimpleMeterRegistry()),
            new SharedTier(null, Optional.empty(), Duration.ofSeconds(70)));
    /** What each execution was told of its waiters, and its answer, which the test gives. */
    private final List<Cancellation> executions = new ArrayList<>();
    private final List<CompletableFuture<Answer>> answers = new ArrayList<>();

    @Test
    void anExecutionIsCancelledOnlyOnceEveryRequestWaitingForItHasLeft() {
        Cancellation first = new Cancellation();
        Cancellation second = new Cancellation();
        ask(first);
        CompletionStage<Served> staying = ask(second);
        assertThat(executions).hasSize(1);

        first.cancel();
        assertThat(executions.get(0).cancelled()).as("one request still waits").isFalse();
        second.cancel();
        assertThat(executions.get(0).cancelled()).as("nobody waits").isTrue();
        assertThat(staying).isNotDone();

        // a request after that does not join the cancelled execution: it runs one of its own
        CompletionStage<Served> next = ask(new Cancellation());
        assertThat(executions).hasSize(2);
        assertThat(executions.get(1).cancelled()).isFalse();
        answers.get(1).complete(Answer.of(List.of("{}".getBytes(StandardCharsets.UTF_8)), 0));
        assertThat(next.toCompletableFuture().join().source()).isEqualTo(Source.MISS);
    }

    @Test
    void aRequestLeavingAfterTheAnswerCancelsNothing() {
        Cancellation leaving = new Cancellation();
        CompletionStage<Served> served = ask(leaving);
        answers.get(0).complete(Answer.of(List.of("{}".getBytes(StandardCharsets.UTF_8)), 0));
        leaving.cancel();
        assertThat(executions.get(0).cancelled()).isFalse();
        assertThat(served.toCompletableFuture().join().answer().rows()).isZero();
    }

    @Test
    void aRequestWhoseClientLeftBeforeItCameStartsNothingThatRuns() {
        Cancellation gone = new Cancellation();
        gone.cancel();
        ask(gone);
        assertThat(executions).hasSize(1);
        assertThat(executions.get(0).cancelled()).isTrue();
    }

    private CompletionStage<Served> ask(Cancellation leaving) {
        return cache.whileRunning(KEY, cancellation -> {
            executions.add(cancellation);
            CompletableFuture<Answer> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }, leaving);
    }
}
