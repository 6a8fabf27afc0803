package dev.quarry.execute;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.quarry.render.RenderedQuery;
import dev.quarry.util.ClasspathText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * PostgreSQL's estimate of the exact statement a request will run: {@code EXPLAIN (FORMAT JSON)} of
 * the same SQL with the same bound values, under the same settings, then which of the tables its plan
 * reads have no statistics. A statement shape whose estimate has shown not to depend
 * on its values keeps it ({@link ShapeEstimate}), so that a lookup by key is not planned twice per request.
 */
@Singleton
public class PlanEstimates {

    private static final String UNANALYZED_TABLES = ClasspathText.read("execute/unanalyzed-tables.sql");

    private final QueryExecutor executor;
    /** By SQL text and plan setting: a shape has one SQL text, whatever its values. */
    private final Cache<String, ShapeEstimate> shapes = Caffeine.newBuilder().maximumSize(10_000).build();
    private final Counter plans;

    PlanEstimates(QueryExecutor executor, MeterRegistry registry) {
        this.executor = executor;
        this.plans = Counter.builder("quarry.budget.plans")
                .description("Statements planned for a budget check (not answered from a kept estimate)")
                .register(registry);
    }

    /** The estimate kept for the statement's shape, when there is one that holds for any values. */
    public Optional<PlanEstimate> kept(RenderedQuery query, StatementSettings settings) {
        ShapeEstimate shape = shapes.getIfPresent(shapeKey(query, settings));
        return shape == null ? Optional.empty() : shape.kept();
    }

    /**
     * PostgreSQL's estimate of the statement with its values, asked now: its plan, then which of the
     * tables the plan reads have no statistics.
     */
    public CompletionStage<PlanEstimate> plan(RenderedQuery query, StatementSettings settings) {
        RenderedQuery explain = new RenderedQuery("EXPLAIN (FORMAT JSON) " + query.sql(), query.values(), query.origins());
        plans.increment();
        return executor.fetch(List.of(explain), settings).thenCompose(explained -> {
            Object plan = explained.get(0).iterator().next().getValue(0);
            List<Object> read = List.of((Object) PlanEstimate.relations(plan).toArray(new String[0]));
            RenderedQuery unanalyzed = new RenderedQuery(UNANALYZED_TABLES, read, List.of());
            return executor.fetch(List.of(unanalyzed), settings).thenApply(results -> {
                Set<String> withoutStatistics = new HashSet<>();
                results.get(0).forEach(row -> withoutStatistics.add(row.getString(0)));
                PlanEstimate estimate = PlanEstimate.of(plan, withoutStatistics);
                shapes.get(shapeKey(query, settings), key -> new ShapeEstimate()).planned(query.values(), estimate);
                return estimate;
            });
        });
    }

    private static String shapeKey(RenderedQuery query, StatementSettings settings) {
        return settings.customPlan() ? "custom:" + query.sql() : query.sql();
    }
}
