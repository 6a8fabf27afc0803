package dev.quarry.render;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import dev.quarry.template.ResultColumn;
import dev.quarry.template.SortKey;
import dev.quarry.template.Template;

/**
 * A request for a template, checked against its declarations and described columns, ready to render.
 *
 * @param arguments every parameter with a value: given, or its default; optional ones may be absent
 * @param grouping  for templates with dimensions and measures
 * @param columns   the output columns of this request (a grouped request's chosen dimensions and measures)
 * @param filters   conditions on output columns
 * @param ordering  the full ordering: the requested or declared sort, completed by the row key; empty keeps the
 *                  template's own order
 * @param keyed     whether the ordering ends with the row's unique key, so rows can be continued after a cursor
 * @param after     the ordering values of the row to continue after (from {@code _after} or {@code Last-Event-ID})
 * @param limit     the most rows to return
 * @param offset    rows to skip
 */
public record QueryRequest(Map<String, Object> arguments, Optional<Grouping> grouping, List<ResultColumn> columns,
        List<Filter> filters, List<SortKey> ordering, boolean keyed, Optional<List<Object>> after, OptionalInt limit,
        OptionalInt offset, CountMode count, boolean explain) {

    /**
     * Names the ordering for cursors: a cursor is good only for the same template, grouping and ordering,
     * and for the same tenant.
     */
    public String orderingSignature() {
        StringBuilder signature = new StringBuilder();
        if (arguments.containsKey(Template.TENANT)) {
            signature.append("tenant=").append(arguments.get(Template.TENANT)).append('\n');
        }
        grouping.ifPresent(group -> signature.append(group.dimensions()).append(group.measures()));
        ordering.forEach(key -> signature.append(key.descending() ? "-" : "+").append(key.column()).append(','));
        return signature.toString();
    }
}
