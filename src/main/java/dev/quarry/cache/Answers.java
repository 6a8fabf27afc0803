package dev.quarry.cache;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import jakarta.inject.Singleton;

import dev.quarry.encode.Format;
import dev.quarry.execute.Cancellation;
import dev.quarry.render.RenderedQuery;
import dev.quarry.template.Template;

/**
 * Where serve asks for a query's answer: kept for the template's time to live on the published
 * dataset's version, or, for a template whose answers are not kept, shared only while it runs
 * (no version read then: a request that joins a running execution is as current as one that
 * arrived a moment earlier), and cancelled when every request waiting for it has left.
 */
@Singleton
public class Answers {

    private final CacheSettings settings;
    private final DatasetVersion dataset;
    private final AnswerCache cache;

    Answers(CacheSettings settings, DatasetVersion dataset, AnswerCache cache) {
        this.settings = settings;
        this.dataset = dataset;
        this.cache = cache;
    }

    /**
     * @param format    the answer's representation, part of its key
     * @param queries   the statements the execution runs, part of its key
     * @param execution runs them and makes the answer: called once for every request that shares it, with what says
     *                  that nobody waits for it any longer (never, for an answer that is kept)
     * @param leaving   said when this request's client leaves
     */
    public CompletionStage<Served> answer(Template template, Format format, List<RenderedQuery> queries,
            Function<Cancellation, CompletionStage<Answer>> execution, Cancellation leaving) {
        Duration ttl = settings.ttl(template);
        if (ttl.isZero()) {
            return cache.whileRunning(AnswerKey.of(template.name(), format, queries, AnswerKey.IN_FLIGHT), execution, leaving);
        }
        CompletableFuture<Served> served = new CompletableFuture<>();
        dataset.current().whenComplete((version, failure) -> {
            if (failure != null) {
                served.completeExceptionally(failure);
                return;
            }
            cache.answer(AnswerKey.of(template.name(), format, queries, version), ttl, () -> execution.apply(Cancellation.NEVER))
                    .whenComplete((answer, failed) -> {
                        if (failed != null) {
                            served.completeExceptionally(failed);
                        } else {
                            served.complete(answer);
                        }
                    });
        });
        return served;
    }
}
