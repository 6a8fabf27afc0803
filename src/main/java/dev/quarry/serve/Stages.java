package dev.quarry.serve;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One step after another, failing with the failure itself: {@code thenCompose} would wrap it in a
 * {@link CompletionException}, which the problem a client gets must not see.
 */
final class Stages {

    private Stages() {
    }

    static <T, U> CompletionStage<U> then(CompletionStage<T> first, Function<T, CompletionStage<U>> next) {
        CompletableFuture<U> result = new CompletableFuture<>();
        first.whenComplete((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(unwrapped(failure));
                return;
            }
            try {
                next.apply(value).whenComplete((answer, later) -> {
                    if (later != null) {
                        result.completeExceptionally(unwrapped(later));
                    } else {
                        result.complete(answer);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    static Throwable unwrapped(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
