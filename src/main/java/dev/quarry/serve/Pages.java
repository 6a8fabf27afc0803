package dev.quarry.serve;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import dev.quarry.cache.Answer;
import dev.quarry.cache.Answers;
import dev.quarry.cache.Served;
import dev.quarry.cache.Source;
import dev.quarry.encode.Format;
import dev.quarry.encode.ResultDocuments;
import dev.quarry.execute.Cancellation;
import dev.quarry.execute.QueryExecutor;
import dev.quarry.render.CountMode;
import dev.quarry.render.CursorCodec;
import dev.quarry.render.QueryRenderer;
import dev.quarry.render.QueryRequest;
import dev.quarry.render.RenderedQuery;
import dev.quarry.render.RowSource;
import dev.quarry.rollup.RollupDecision;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/**
 * A query's answer as one JSON page: the page's rows read with one extra, which tells that more
 * follow and gives the signed cursor after the last row kept; the total when asked for, from the
 * same snapshot; or, with {@code _explain=true}, the SQL, its bound values and the plan instead. Read
 * from a rollup that answers the request exactly, or from the template; where, it tells {@code source}
 * (for the {@code Quarry-Source} header), again if the rollup's table turns out missing.
 */
@Singleton
public class Pages {

    static final int DEFAULT_PAGE_SIZE = 100;

    private final QueryCalls calls;
    private final QueryExecutor executor;
    private final CursorCodec cursors;
    private final Answers answers;
    private final RequestBudgets budgets;

    Pages(QueryCalls calls, QueryExecutor executor, CursorCodec cursors, Answers answers, RequestBudgets budgets) {
        this.calls = calls;
        this.executor = executor;
        this.cursors = cursors;
        this.answers = answers;
        this.budgets = budgets;
    }

    /**
     * The page's JSON document, kept, shared with the same request running, or read now; a bad
     * request fails before anything runs.
     *
     * @param leaving said when the client leaves: the statements stop in PostgreSQL unless another request shares them or
     *                their answer is kept
     */
    public CompletionStage<Served> page(String name, Map<String, List<String>> parameters, Caller caller,
            Consumer<String> source, Cancellation leaving) {
        boolean budgetOnly = BudgetExplanation.asked(parameters);
        QueryCall call = calls.open(name, budgetOnly ? BudgetExplanation.without(parameters) : parameters, caller, Format.JSON,
                OptionalInt.of(DEFAULT_PAGE_SIZE), Optional.empty());
        source.accept(RollupChoice.header(call.decision(), Instant.now()));
        QueryRequest request = call.request();
        if (request.explain()) {
            return explain(call);
        }
        List<RenderedQuery> queries = statements(call.source(), request);
        if (budgetOnly) {
            return budgets.decide(call, budgeted(queries, request), true).thenApply(BudgetExplanation::served);
        }
        // kept under the template's statements whatever the source: a rollup's answer has the same bytes
        List<RenderedQuery> templateQueries = call.source() instanceof RowSource.Body ? queries
                : statements(new RowSource.Body(call.template()), request);
        // only the request that runs the statements meters them: quarry_query_seconds counts database executions
        return Stages.then(budgets.admit(call, budgeted(queries, request)), admitted -> answers.answer(call.template(), Format.JSON,
                templateQueries, cancellation -> answer(fetch(call, queries, templateQueries, source, cancellation),
                        results -> Answer.of(List.of(document(call, results)), call.rows()), failure -> call.finished(0, failure)),
                leaving));
    }

    private static List<RenderedQuery> statements(RowSource source, QueryRequest request) {
        List<RenderedQuery> queries = new ArrayList<>(2);
        queries.add(QueryRenderer.renderPage(source, request));
        switch (request.count()) {
            case EXACT -> queries.add(QueryRenderer.renderCount(source, request));
            case PLANNED -> queries.add(PlannedRows.explain(QueryRenderer.renderFiltered(source, request)));
            case NONE -> {
            }
        }
        return queries;
    }

    /**
     * The statements whose estimate a budget bounds: the page, and its exact count when asked for; a
     * planned count is an EXPLAIN, which costs nothing to run. A page answered from a rollup is
     * estimated over the rollup's table.
     */
    private static List<RenderedQuery> budgeted(List<RenderedQuery> statements, QueryRequest request) {
        return request.count() == CountMode.PLANNED ? statements.subList(0, 1) : statements;
    }

    /** The results of the statements, from the template's when the rollup's table they read is missing. */
    private CompletionStage<List<RowSet<Row>>> fetch(QueryCall call, List<RenderedQuery> queries, List<RenderedQuery> templateQueries,
            Consumer<String> source, Cancellation cancellation) {
        return orTemplate(call, executor.fetch(queries, call.settings(), cancellation), () -> {
            source.accept("template");
            return executor.fetch(templateQueries, call.settings(), cancellation);
        });
    }

    /**
     * The stage's result, or when it failed on the call's rollup table missing, the template's: failures pass on as
     * they are, not wrapped as {@code exceptionallyCompose} would.
     */
    private static <T> CompletionStage<T> orTemplate(QueryCall call, CompletionStage<T> stage, Supplier<CompletionStage<T>> template) {
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else if (call.rollupLost(failure)) {
                template.get().whenComplete((again, failed) -> {
                    if (failed == null) {
                        result.complete(again);
                    } else {
                        result.completeExceptionally(failed);
                    }
                });
            } else {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    private byte[] document(QueryCall call, List<RowSet<Row>> results) {
        QueryRequest request = call.request();
        List<Row> rows = new ArrayList<>(results.get(0).size());
        results.get(0).forEach(rows::add);
        int limit = request.limit().orElse(Integer.MAX_VALUE);
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            next = request.keyed() ? new RowCursor(cursors, call.template().name(), request).after(rows.get(limit - 1)) : null;
        }
        Long total = switch (request.count()) {
            case EXACT -> results.get(1).iterator().next().getLong(0);
            case PLANNED -> PlannedRows.estimate(results.get(1));
            case NONE -> null;
        };
        call.finished(rows.size(), null);
        return ResultDocuments.page(call.template().name(), call.encoder(), rows, request.limit(), next, total);
    }

    /** {@code _explain=true}: the final SQL, its bound values and PostgreSQL's plan, without running it. */
    private CompletionStage<Served> explain(QueryCall call) {
        return explain(call, call.source(), RollupChoice.header(call.decision(), Instant.now()));
    }

    /** The plan of the statement over {@code source}; over the template's body if it reads a rollup's table that is missing. */
    private CompletionStage<Served> explain(QueryCall call, RowSource source, String sourceHeader) {
        RenderedQuery query = QueryRenderer.renderPage(source, call.request());
        CompletionStage<List<RowSet<Row>>> plans = executor.fetch(List.of(PlannedRows.explain(query)), call.settings());
        if (source instanceof RowSource.Rollup) {
            return orTemplate(call, explained(call, query, sourceHeader, plans),
                    () -> explain(call, new RowSource.Body(call.template()), "template"));
        }
        return explained(call, query, sourceHeader, plans);
    }

    private CompletionStage<Served> explained(QueryCall call, RenderedQuery query, String sourceHeader,
            CompletionStage<List<RowSet<Row>>> plans) {
        // a plan is not an execution: it is not metered, nor kept
        return answer(plans, results -> new Served(Answer.of(List.of(ResultDocuments.explain(sourceHeader, rejected(call.decision()),
                query.sql(), query.values(), results.get(0).iterator().next().getValue(0))), 0), Source.MISS, Duration.ZERO),
                failure -> {});
    }

    private static Map<String, String> rejected(RollupDecision decision) {
        Map<String, String> rejected = new LinkedHashMap<>();
        decision.rejections().forEach(rejection -> rejected.put(rejection.rollup(), rejection.reason()));
        return rejected;
    }

    /** The document made of the results, failing with the failure itself (not wrapped, as thenApply would), once recorded. */
    private static <T> CompletionStage<T> answer(CompletionStage<List<RowSet<Row>>> results, Function<List<RowSet<Row>>, T> document,
            Consumer<Throwable> failed) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        results.whenComplete((rows, failure) -> {
            try {
                if (failure != null) {
                    throw failure;
                }
                answer.complete(document.apply(rows));
            } catch (Throwable e) {
                failed.accept(e);
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }
}
