package dev.quarry.execute;

import java.time.Duration;
import java.util.Arrays;
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
 * on its values keeps it ({@link ShapeEstimate}), so that a lookup by key is not planned twice per request;
 * and the estimate of one statement with its very values is known for {@link #KNOWN_FOR}, so that a
 * request asked again (a dashboard's, a retrying client's, a flood's) is not planned again.
 */
@Singleton
public class PlanEstimates {

    private static final String UNANALYZED_TABLES = ClasspathText.read("execute/unanalyzed-tables.sql");

    /**
     * How long the estimate of a statement with its values is reused: statistics change with ANALYZE, which autovacuum runs
     * after enough changes, and a load runs at its end.
     */
    static final Duration KNOWN_FOR = Duration.ofMinutes(1);

    private final QueryExecutor executor;
    /** By SQL text and plan setting: a shape has one SQL text, whatever its values. */
    private final Cache<String, ShapeEstimate> shapes = Caffeine.newBuilder().maximumSize(10_000).build();
    /** By SQL text, plan setting, values and tenant, for statistics PostgreSQL had: an estimate from none is a guess, asked again. */
    private final Cache<String, PlanEstimate> known = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(KNOWN_FOR).build();
    private final Counter plans;

    PlanEstimates(QueryExecutor executor, MeterRegistry registry) {
        this.executor = executor;
        this.plans = Counter.builder("quarry.budget.plans")
                .description("Statements planned for a budget check (not answered from a kept estimate)")
                .register(registry);
    }

    /** The estimate PostgreSQL made of the statement with these very values within {@link #KNOWN_FOR}, if it did. */
    public Optional<PlanEstimate> known(RenderedQuery query, StatementSettings settings) {
        return Optional.ofNullable(known.getIfPresent(requestKey(query, settings)));
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
                if (estimate.grounded()) {
                    known.put(requestKey(query, settings), estimate);
                }
                return estimate;
            });
        });
    }

    private static String shapeKey(RenderedQuery query, StatementSettings settings) {
        return settings.customPlan() ? "custom:" + query.sql() : query.sql();
    }

    private static String requestKey(RenderedQuery query, StatementSettings settings) {
        // under row-level security the tenant's policies are part of the plan
        return Arrays.deepToString(query.values().toArray()) + settings.tenant().map(TenantSetting::statement).orElse("")
                + shapeKey(query, settings);
    }
}
