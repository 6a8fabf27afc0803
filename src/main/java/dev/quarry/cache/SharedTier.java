package dev.quarry.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.Vertx;

/**
 * The optional tier shared by replicas: Redis when {@code quarry.cache.redis.url} is set
 * ({@code redis://host:6379}); without it each replica keeps its own answers and runs a query
 * when it has none.
 */
@Singleton
public class SharedTier {

    private final Optional<RedisTier> redis;

    SharedTier(Vertx vertx, @ConfigProperty(name = "quarry.cache.redis.url") Optional<String> url,
            @ConfigProperty(name = "quarry.cache.redis.lease", defaultValue = "70s") Duration lease) {
        this.redis = url.filter(value -> !value.isBlank()).map(value -> new RedisTier(vertx, value, lease));
    }

    /** The answer from the shared tier, or from the execution (run here once the lease is ours, and stored). */
    CompletionStage<Answer> answer(AnswerKey key, Duration ttl, Supplier<CompletionStage<Answer>> execution) {
        return redis.map(tier -> tier.answer(key, ttl, execution)).orElseGet(execution);
    }

    /** How many answers the purge removed from the shared tier. */
    CompletionStage<Long> purge(Optional<String> template) {
        return redis.map(tier -> tier.purge(template)).orElseGet(() -> CompletableFuture.completedFuture(0L));
    }

    @PreDestroy
    void close() {
        redis.ifPresent(RedisTier::close);
    }
}
