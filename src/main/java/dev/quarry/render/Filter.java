package dev.quarry.render;

import java.util.List;

import dev.quarry.template.PgType;

/**
 * A condition on an output column, applied around the template: {@code WHERE "column" op $n}.
 *
 * @param values the bound values: one, two for a range, any number for in; for isnull a Boolean
 */
public record Filter(String column, Lookup lookup, PgType type, List<Object> values) {
}
