package dev.quarry.cache;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
     * The stream's rows: from its kept answer (recorded now if nobody has, or being recorded for
     * another request), or read from the database for this request alone when its answers are not
     * kept or are too large to keep.
     *
     * @param format the stream's representation, part of its key
     * @param query  the statement the stream runs, part of its key
     * @param run    a run of its own from the database: called for the recording, or for this request alone
     */
    public Uni<EncodedRows> stream(Template template, Format format, RenderedQuery query, Supplier<EncodedRows> run) {
        Duration ttl = settings.ttl(template);
        if (ttl.isZero()) {
            return Uni.createFrom().item(run);
        }
        return Uni.createFrom().completionStage(dataset::current).onItem().transformToUni(version -> {
            AnswerKey key = AnswerKey.of(template.name(), format, List.of(query), version);
            if (tooLarge.getIfPresent(key) != null) {
                return Uni.createFrom().item(run);
            }
            CompletionStage<Served> answer = cache.answer(key, ttl, () -> record(key, run.get()));
            // null when the answer was kept already: there is nothing to wait for, nor to stop
            Recording waitedFor = recording.get(key);
            Uni<Served> served = waitedFor == null ? Uni.createFrom().completionStage(answer) : waitingWith(answer, waitedFor);
            return served.onItem().transform(StreamAnswers::kept)
                    // too large to keep, or stopped when every other waiter left just as this one came: stream it here
                    .onFailure(failure -> failure instanceof AnswerTooLargeException || failure instanceof CancellationException)
                    .recoverWithItem(failure -> {
                        if (failure instanceof AnswerTooLargeException && tooLarge.asMap().putIfAbsent(key, ttl) == null) {
                            meters.tooLarge(template.name());
                        }
                        return run.get();
                    });
        });
    }

    /**
     * The answer of a recording this request waits for with others, which it leaves when it ends.
     * A request that goes away is done with before it leaves: were it the last waiter, the recording
     * it stops fails the answer at once, and a Uni of Mutiny's operators would pass that failure on
     * to the request that went away, which Mutiny then logs at ERROR as dropped. The emitter ignores it.
     */
    private static Uni<Served> waitingWith(CompletionStage<Served> answer, Recording waitedFor) {
        waitedFor.join();
        return Uni.createFrom().emitter(emitter -> {
            emitter.onTermination(waitedFor::leave);
            answer.whenComplete((served, failure) -> {
                if (failure == null) {
                    emitter.complete(served);
                } else {
                    emitter.fail(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
                }
            });
        });
    }

    private static EncodedRows kept(Served served) {
        Answer answer = served.answer();
        return new EncodedRows(Multi.createFrom().iterable(answer.chunks()), answer::rows);
    }

    private CompletableFuture<Answer> record(AnswerKey key, EncodedRows run) {
        Recording started = new Recording(run.bytes(), run.count(), settings.maxAnswerBytes());
        recording.put(key, started);
        started.answer().whenComplete((answer, failure) -> recording.remove(key, started));
        return started.answer();
    }
}
