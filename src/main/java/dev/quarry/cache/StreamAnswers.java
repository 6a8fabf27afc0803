package dev.quarry.cache;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import dev.quarry.encode.Format;
import dev.quarry.render.RenderedQuery;
import dev.quarry.template.Template;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Streams (SSE, NDJSON, CSV) of a template whose answers are kept: the stream's bytes are recorded
 * once ({@link Recording}), kept like a page's, and sent from memory to every request for the same
 * statement, values and dataset, whether it waited for the recording or came later. An answer
 * larger than {@code quarry.cache.max-answer-size} is streamed to each request from the database,
 * as every stream of a template without {@code @cache} is (a stream may be any size, so only kept
 * answers are shared).
 */
@Singleton
public class StreamAnswers {

    private final CacheSettings settings;
    private final DatasetVersion dataset;
    private final AnswerCache cache;
    private final CacheMeters meters;
    private final ConcurrentMap<AnswerKey, Recording> recording = new ConcurrentHashMap<>();
    /** Keys whose answer was too large to keep, for their time to live: they stream without trying again. */
    private final Cache<AnswerKey, Duration> tooLarge = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfter(Expiry.creating((AnswerKey key, Duration ttl) -> ttl))
            .build();

    StreamAnswers(CacheSettings settings, DatasetVersion dataset, AnswerCache cache, CacheMeters meters) {
        this.settings = settings;
        this.dataset = dataset;
        this.cache = cache;
        this.meters = meters;
    }

    /**
     * @param format     the stream's representation, part of its key
     * @param query      the statement the stream runs, part of its key
     * @param recorded   the stream's bytes from a run of its own, recorded for everyone waiting
     * @param rows       the rows of that run, once it ended
     * @param fromAnswer the response made of a kept answer
     * @param live       the response streamed from the database, for an answer that is not kept
     */
    public <T> Multi<T> stream(Template template, Format format, RenderedQuery query, Supplier<Multi<byte[]>> recorded,
            LongSupplier rows, Function<Served, Multi<T>> fromAnswer, Supplier<Multi<T>> live) {
        Duration ttl = settings.ttl(template);
        if (ttl.isZero()) {
            return live.get();
        }
        return Uni.createFrom().completionStage(dataset::current).onItem().transformToMulti(version -> {
            AnswerKey key = AnswerKey.of(template.name(), format, List.of(query), version);
            if (tooLarge.getIfPresent(key) != null) {
                return live.get();
            }
            Uni<Served> served = Uni.createFrom().completionStage(cache.answer(key, ttl, () -> record(key, recorded.get(), rows)));
            // null when the answer was kept already: there is nothing to wait for, nor to stop
            Recording waitedFor = recording.get(key);
            if (waitedFor != null) {
                waitedFor.join();
                served = served.onTermination().invoke(waitedFor::leave);
            }
            return served.onItem().transformToMulti(fromAnswer)
                    // too large to keep, or stopped when every other waiter left just as this one came: stream it here
                    .onFailure(failure -> failure instanceof AnswerTooLargeException || failure instanceof CancellationException)
                    .recoverWithMulti(failure -> {
                        if (failure instanceof AnswerTooLargeException && tooLarge.asMap().putIfAbsent(key, ttl) == null) {
                            meters.tooLarge(template.name());
                        }
                        return live.get();
                    });
        });
    }

    private java.util.concurrent.CompletableFuture<Answer> record(AnswerKey key, Multi<byte[]> chunks, LongSupplier rows) {
        Recording started = new Recording(chunks, rows, settings.maxAnswerBytes());
        recording.put(key, started);
        started.answer().whenComplete((answer, failure) -> recording.remove(key, started));
        return started.answer();
    }
}
