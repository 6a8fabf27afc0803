package dev.quarry.render;

import java.util.Map;

import dev.quarry.template.RollupDeclaration;
import dev.quarry.template.Template;

/** Where a request's rows are read from: the template's body, or a rollup table that answers it exactly. */
public sealed interface RowSource {

    Template template();

    /** The template as written. */
    record Body(Template template) implements RowSource {
    }

    /**
     * A rollup's table.
     *
     * @param partTypes each aggregate column's type, as {@code format_type} writes it: a re-aggregated sum is cast
     *                  back to it, since the sum of bigint sums would be a numeric
     * @param fromBuild read its rows from its build statement instead of its table: a template test's case over
     *                  its own rows, which no table holds
     */
    record Rollup(Template template, RollupDeclaration rollup, Map<String, String> partTypes, boolean fromBuild) implements RowSource {
    }
}
