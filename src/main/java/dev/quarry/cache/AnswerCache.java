package dev.quarry.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;

/**
 * The local tier: answers by key, in Caffeine. One execution per key at a time: a request for a
 * key whose answer is being read waits for that answer (Caffeine's loads are shared per key), so
 * concurrent identical requests run once, with or without a time to live. A kept answer is served
 * until its template's time to live; after it, for the grace, the first request starts one refresh
 * and every request still gets the old answer, so an expiry never sends a crowd to the database.
 * Failures are never kept: every waiter gets the same failure, and the next request runs again.
 */
@Singleton
public class AnswerCache {

    private final CacheSettings settings;
    private final CacheMeters meters;
    private final SharedTier shared;
    private final AsyncCache<AnswerKey, KeptAnswer> answers;
    private final ConcurrentMap<AnswerKey, CompletableFuture<Void>> refreshing = new ConcurrentHashMap<>();

    AnswerCache(CacheSettings settings, CacheMeters meters, SharedTier shared) {
        this.settings = settings;
        this.meters = meters;
        this.shared = shared;
        this.answers = Caffeine.newBuilder()
                .maximumWeight(settings.maxBytes())
                // an answer that is only shared while it runs weighs nothing: it goes as soon as it is read, and must not
                // evict kept ones (the requests in flight bound its memory, not this cache)
                .weigher((AnswerKey key, KeptAnswer kept) -> kept.ttl().isZero() ? 0 : (int) Math.min(Integer.MAX_VALUE,
                        key.weight() + kept.answer().bytes() + 16L * kept.answer().chunks().size()))
                .expireAfter(new KeptFor())
                .evictionListener((AnswerKey key, KeptAnswer kept, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE && key != null) {
                        meters.evicted(key.template());
                    }
                })
                .buildAsync();
    }

    /**
     * The key's answer: kept, shared with the execution running for it, or from {@code execution}.
     *
     * @param ttl how long the answer is kept; zero to share it only while it runs
     */
    public CompletionStage<Served> answer(AnswerKey key, Duration ttl, Supplier<CompletionStage<Answer>> execution) {
        CompletableFuture<KeptAnswer> present = answers.getIfPresent(key);
        if (present != null && present.isDone() && !present.isCompletedExceptionally()) {
            KeptAnswer kept = present.join();
            Source source = kept.fresh(Instant.now()) ? Source.HIT : Source.STALE;
            if (source == Source.STALE) {
                refresh(key, ttl, execution);
            }
            meters.served(key.template(), source);
            return CompletableFuture.completedFuture(new Served(kept.answer(), source, ttl));
        }
        boolean[] ran = new boolean[1];
        AtomicBoolean executedHere = new AtomicBoolean();
        CompletableFuture<KeptAnswer> shared = answers.get(key, (k, executor) -> {
            ran[0] = true;
            return run(k, ttl, () -> {
                executedHere.set(true);
                return execution.get();
            });
        });
        if (!ran[0]) {
            meters.served(key.template(), Source.COALESCED);
        }
        // each waiter gets the answer, or the failure itself (not wrapped, as thenApply would)
        CompletableFuture<Served> served = new CompletableFuture<>();
        shared.whenComplete((kept, failure) -> {
            // known once the answer is: the database ran it here (a miss), or another replica did and the shared tier
            // gave it (its quarry_query_seconds counts it there, so a miss here would count one execution twice)
            Source source = !ran[0] ? Source.COALESCED : executedHere.get() ? Source.MISS : Source.SHARED;
            if (ran[0]) {
                meters.served(key.template(), source);
            }
            if (failure != null) {
                served.completeExceptionally(failure);
            } else {
                served.complete(new Served(kept.answer(), source, ttl));
            }
        });
        return served;
    }

    /** Forgets the kept answers of one template, or of all, here and in the shared tier: the next request runs again. */
    public CompletionStage<Long> purge(Optional<String> template) {
        long purged = 0;
        for (AnswerKey key : answers.asMap().keySet()) {
            if (template.map(key.template()::equals).orElse(true) && answers.asMap().remove(key) != null) {
                purged++;
            }
        }
        long local = purged;
        return shared.purge(template).thenApply(remote -> local + remote);
    }

    /** Bytes the kept answers hold, by Caffeine's weights: never above {@code quarry.cache.max-size}. */
    public long heldBytes() {
        return answers.synchronous().policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    private CompletableFuture<KeptAnswer> run(AnswerKey key, Duration ttl, Supplier<CompletionStage<Answer>> execution) {
        CompletableFuture<KeptAnswer> kept = new CompletableFuture<>();
        read(key, ttl, execution).whenComplete((answer, failure) -> {
            if (failure != null) {
                kept.completeExceptionally(failure);
                return;
            }
            kept.complete(keeping(key, answer, ttl));
        });
        return kept;
    }

    /** The answer as kept: for its time to live if it has one and is not too large, else only for those waiting on it. */
    private KeptAnswer keeping(AnswerKey key, Answer answer, Duration ttl) {
        if (ttl.isZero()) {
            return new KeptAnswer(answer, Duration.ZERO);
        }
        if (answer.bytes() > settings.maxAnswerBytes()) {
            meters.tooLarge(key.template());
            return new KeptAnswer(answer, Duration.ZERO);
        }
        meters.holding(key.template(), this::templateBytes);
        return new KeptAnswer(answer, ttl);
    }

    private void refresh(AnswerKey key, Duration ttl, Supplier<CompletionStage<Answer>> execution) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        if (refreshing.putIfAbsent(key, mine) != null) {
            return;
        }
        read(key, ttl, execution).whenComplete((answer, failure) -> {
            // a failed refresh leaves the old answer for the rest of its grace, and the next request tries again
            if (failure == null) {
                answers.put(key, CompletableFuture.completedFuture(keeping(key, answer, ttl)));
            }
            refreshing.remove(key, mine);
        });
    }

    /** An answer that is kept comes from the shared tier when there is one; one that is only shared while it runs, from here. */
    private CompletionStage<Answer> read(AnswerKey key, Duration ttl, Supplier<CompletionStage<Answer>> execution) {
        return ttl.isZero() ? execution.get() : shared.answer(key, ttl, execution);
    }

    /** Bytes held by one template's kept answers. */
    private double templateBytes(String template) {
        long bytes = 0;
        for (var entry : answers.asMap().entrySet()) {
            CompletableFuture<KeptAnswer> value = entry.getValue();
            if (entry.getKey().template().equals(template) && value.isDone() && !value.isCompletedExceptionally()
                    && !value.join().ttl().isZero()) {
                bytes += entry.getKey().weight() + value.join().answer().bytes();
            }
        }
        return bytes;
    }

    /** Kept answers live for their time to live and the grace; shared-only ones go as soon as they are read. */
    private final class KeptFor implements Expiry<AnswerKey, KeptAnswer> {

        @Override
        public long expireAfterCreate(AnswerKey key, KeptAnswer kept, long now) {
            return kept.ttl().isZero() ? 0 : kept.ttl().plus(settings.grace()).toNanos();
        }

        @Override
        public long expireAfterUpdate(AnswerKey key, KeptAnswer kept, long now, long current) {
            return expireAfterCreate(key, kept, now);
        }

        @Override
        public long expireAfterRead(AnswerKey key, KeptAnswer kept, long now, long current) {
            return current;
        }
    }
}
