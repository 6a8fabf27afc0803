package dev.quarry.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;

import dev.quarry.execute.Cancellation;

/**
 * The local tier: answers by key. One execution per key at a time: a request for a key whose
 * answer is being read waits for that answer, so concurrent identical requests run once, with or
 * without a time to live. Kept answers live in Caffeine (its loads are shared per key); answers of
 * templates that keep nothing are shared through a plain map of the executions running, which
 * costs a point lookup a tenth of the CPU that Caffeine's weighing and expiry did. A kept answer is served
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
    private final ConcurrentMap<AnswerKey, Running> running = new ConcurrentHashMap<>();

    AnswerCache(CacheSettings settings, CacheMeters meters, SharedTier shared) {
        this.settings = settings;
        this.meters = meters;
        this.shared = shared;
        this.answers = Caffeine.newBuilder()
                .maximumWeight(settings.maxBytes())
                // an answer too large to keep is only shared while it runs and weighs nothing: it goes as soon as it is read, and must not
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
     * The key's answer: kept, shared with the execution running for it, or from {@code execution},
     * which runs to its end however many of the requests waiting for it leave: its answer is kept for
     * the next ones (and another replica may be waiting for it through the shared tier).
     *
     * @param ttl how long the answer is kept
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
            return served(shared, KeptAnswer::answer, () -> Source.COALESCED, ttl);
        }
        // known once the answer is: the database ran it here (a miss), or another replica did and the shared tier
        // gave it (its quarry_query_seconds counts it there, so a miss here would count one execution twice)
        return served(shared, KeptAnswer::answer, () -> {
            Source source = executedHere.get() ? Source.MISS : Source.SHARED;
            meters.served(key.template(), source);
            return source;
        }, ttl);
    }

    /**
     * The answer of a template that keeps nothing: the execution running for the key, or a new one.
     * Once every request that waits for it has left, the execution is cancelled, and a request after
     * that runs again.
     *
     * @param leaving said when this request's client leaves
     */
    public CompletionStage<Served> whileRunning(AnswerKey key, Function<Cancellation, CompletionStage<Answer>> execution,
            Cancellation leaving) {
        Running mine = new Running(key);
        while (true) {
            Running earlier = running.putIfAbsent(key, mine);
            if (earlier == null) {
                break;
            }
            if (earlier.joined(leaving)) {
                meters.served(key.template(), Source.COALESCED);
                return served(earlier.answer, answer -> answer, () -> Source.COALESCED, Duration.ZERO);
            }
            // cancelled as this request came: it leaves the map, and this request runs again
            running.remove(key, earlier);
        }
        mine.joined(leaving);
        meters.served(key.template(), Source.MISS);
        CompletionStage<Answer> reading;
        try {
            reading = execution.apply(mine.cancellation);
        } catch (RuntimeException e) {
            reading = CompletableFuture.failedFuture(e);
        }
        reading.whenComplete((answer, failure) -> {
            // gone from the map before the waiters hear: a request after this one runs again
            running.remove(key, mine);
            if (failure != null) {
                mine.answer.completeExceptionally(failure);
            } else {
                mine.answer.complete(answer);
            }
        });
        return served(mine.answer, answer -> answer, () -> Source.MISS, Duration.ZERO);
    }

    /** An execution shared while it runs, and the requests waiting for it: cancelled when the last of them leaves. */
    private final class Running {

        private final AnswerKey key;
        private final CompletableFuture<Answer> answer = new CompletableFuture<>();
        private final Cancellation cancellation = new Cancellation();
        // guarded by this
        private int waiting;
        private boolean abandoned;

        Running(AnswerKey key) {
            this.key = key;
        }

        /** False when everyone waiting for it has left: it is being cancelled, and nobody may join it then. */
        boolean joined(Cancellation leaving) {
            synchronized (this) {
                if (abandoned) {
                    return false;
                }
                waiting++;
            }
            leaving.whenCancelled(this::left);
            return true;
        }

        private void left() {
            synchronized (this) {
                if (--waiting > 0 || answer.isDone()) {
                    return;
                }
                // decided here, not when the cancel is said: a request joining in between would be cancelled with it
                abandoned = true;
            }
            running.remove(key, this);
            cancellation.cancel();
        }
    }

    /**
     * Each waiter gets the answer, or the failure itself (not wrapped, as thenApply would).
     *
     * @param source where the answer came from, asked once it has come
     */
    private static <T> CompletionStage<Served> served(CompletableFuture<T> shared, Function<T, Answer> answer, Supplier<Source> source,
            Duration ttl) {
        CompletableFuture<Served> served = new CompletableFuture<>();
        shared.whenComplete((value, failure) -> {
            Source from = source.get();
            if (failure != null) {
                served.completeExceptionally(failure);
            } else {
                served.complete(new Served(answer.apply(value), from, ttl));
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

    /** An answer to keep comes from the shared tier when there is one. */
    private CompletionStage<Answer> read(AnswerKey key, Duration ttl, Supplier<CompletionStage<Answer>> execution) {
        return shared.answer(key, ttl, execution);
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

    /** Kept answers live for their time to live and the grace; one too large to keep goes as soon as it is read. */
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
