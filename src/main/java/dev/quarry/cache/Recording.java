package dev.quarry.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * One run of a stream read into memory for every request waiting for it, so that all of them are
 * served the same bytes from one execution. It belongs to no request: a waiter that leaves does not
 * stop it, the last one to leave does (and the database's statement is cancelled with it). Past the
 * per-answer limit it stops and fails with {@link AnswerTooLargeException}, and each waiter streams
 * on its own.
 */
final class Recording {

    private final CompletableFuture<Answer> answer = new CompletableFuture<>();
    private final AtomicInteger waiters = new AtomicInteger();
    private volatile Cancellable upstream;

    /**
     * @param chunks the stream's bytes, subscribed to once
     * @param rows   the rows it held, asked once it completed
     */
    Recording(Multi<byte[]> chunks, LongSupplier rows, long limit) {
        List<byte[]> kept = new ArrayList<>();
        long[] bytes = new long[1];
        upstream = chunks.subscribe().with(chunk -> {
            bytes[0] += chunk.length;
            if (bytes[0] > limit) {
                stop(new AnswerTooLargeException(limit));
            } else if (!answer.isDone()) {
                kept.add(chunk);
            }
        }, answer::completeExceptionally, () -> answer.complete(Answer.of(kept, rows.getAsLong())));
        if (answer.isCompletedExceptionally()) {
            upstream.cancel(); // stopped while subscribing, before there was anything to cancel
        }
    }

    CompletableFuture<Answer> answer() {
        return answer;
    }

    void join() {
        waiters.incrementAndGet();
    }

    /** A waiter went away: with none left, the execution stops. */
    void leave() {
        if (waiters.decrementAndGet() == 0 && !answer.isDone()) {
            stop(new CancellationException("every request waiting for the answer went away"));
        }
    }

    private void stop(RuntimeException reason) {
        if (answer.completeExceptionally(reason)) {
            Cancellable running = upstream;
            if (running != null) {
                running.cancel();
            }
        }
    }
}
