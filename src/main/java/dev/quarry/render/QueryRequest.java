package dev.quarry.render;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A request for a template, checked against its declarations and ready to render.
 *
 * @param arguments every parameter with a value: given, or its default; optional ones may be absent
 * @param grouping  for templates with dimensions and measures
 * @param sort      the ordering asked for; empty keeps the template's own
 * @param limit     the most rows to return
 */
public record QueryRequest(Map<String, Object> arguments, Optional<Grouping> grouping, List<SortKey> sort,
        OptionalInt limit) {
}
