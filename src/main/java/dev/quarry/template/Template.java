package dev.quarry.template;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed template, its layers already expanded in its body.
 *
 * @param name        its path without {@code .sql}: {@code tpch/q01}
 * @param source      where it was read from, for messages
 * @param parameters  its own and those it takes from its layers, in the order declared
 * @param sortable    output columns a request may sort on
 * @param key         output columns unique per row, which complete an ordering for stable pages
 * @param order       the default ordering of pages, as {@code _sort} writes it ({@code -revenue}), when a request gives none
 * @param dimensions  name to SQL expression over the body's columns, for grouped requests
 * @param measures    name to aggregate expression over the body's columns
 * @param roles       the roles allowed to run it; empty for everyone
 * @param cache       how long its answers are kept ({@code @cache}); zero for {@code @cache off}; empty for the global default
 */
public record Template(String name, String source, String summary, String description,
        Map<String, ParameterSpec> parameters, List<String> sortable, List<String> key, List<String> order,
        Map<String, String> dimensions, Map<String, String> measures, Optional<Duration> timeout,
        List<String> roles, List<Fragment> body, Optional<Duration> cache) {

    public boolean grouped() {
        return !measures.isEmpty();
    }

    Template withBody(Map<String, ParameterSpec> expandedParameters, List<Fragment> expandedBody) {
        return new Template(name, source, summary, description, expandedParameters, sortable, key, order, dimensions, measures,
                timeout, roles, expandedBody, cache);
    }
}
