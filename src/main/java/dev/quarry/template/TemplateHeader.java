package dev.quarry.template;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a template's header declares.
 *
 * @param parameters its own parameters, in the order declared (a {@link Template} adds those of its layers)
 * @param sortable   output columns a request may sort on
 * @param key        output columns unique per row, which complete an ordering for stable pages
 * @param order      the default ordering of pages when a request gives none
 * @param dimensions name to SQL expression over the body's columns, for grouped requests
 * @param measures   name to aggregate expression over the body's columns
 * @param roles      the roles allowed to run it; empty for everyone
 * @param cache      how long its answers are kept ({@code @cache}); zero for {@code @cache off}; empty for the global default
 * @param customPlan whether each run is planned for its own values ({@code @plan custom}); otherwise PostgreSQL chooses
 * @param budget     the most its requests may cost by the plan's estimate ({@code @budget}); {@link Budget#NONE} for
 *                   {@code @budget off}; empty for the global default
 * @param rollups    the rollups it declares ({@code @rollup}), in the order declared
 * @param group      the dimensions a request without {@code _group} groups by ({@code @group}); empty for one row of totals
 */
public record TemplateHeader(String summary, String description, Map<String, ParameterSpec> parameters, List<String> sortable,
        List<String> key, List<SortKey> order, Map<String, String> dimensions, Map<String, String> measures, Optional<Duration> timeout,
        List<String> roles, Optional<Duration> cache, boolean customPlan, Optional<Budget> budget, List<RollupDeclaration> rollups,
        List<String> group) {
}
