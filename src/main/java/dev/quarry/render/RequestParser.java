package dev.quarry.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import dev.quarry.template.ParameterSpec;
import dev.quarry.template.Template;

/**
 * Reads a request's query parameters against a template. Names starting with {@code _} are Quarry's
 * own ({@code _sort}, {@code _limit}, {@code _group}, {@code _measures}); the others are the template's
 * parameters. Every name a request may choose is looked up among declared ones; nothing it sends
 * becomes SQL text.
 */
public final class RequestParser {

    /** The most rows one page or stream may be limited to. */
    public static final int MAX_LIMIT = 10_000;

    private static final List<String> RESERVED = List.of("_sort", "_limit", "_group", "_measures");

    private RequestParser() {
    }

    /** @param defaultLimit the limit when the request gives none: a page's size, or none for a stream */
    public static QueryRequest parse(Template template, Map<String, List<String>> query, OptionalInt defaultLimit) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        for (ParameterSpec parameter : template.parameters().values()) {
            List<String> values = query.get(parameter.name());
            if (values == null || values.isEmpty()) {
                if (parameter.required()) {
                    throw new RequestException(parameter.name(), "is required: a " + parameter.typeName()
                            + (parameter.description().isEmpty() ? "" : " (" + parameter.description() + ")"));
                }
                parameter.defaultValue().ifPresent(value -> arguments.put(parameter.name(), value));
                continue;
            }
            try {
                arguments.put(parameter.name(), parameter.parse(values));
            } catch (IllegalArgumentException e) {
                throw new RequestException(parameter.name(), e.getMessage(),
                        parameter.allowed().stream().map(String::valueOf).toList());
            }
        }
        for (String name : query.keySet()) {
            if (name.startsWith("_") && !RESERVED.contains(name)) {
                throw new RequestException(name, "is not a parameter Quarry knows", RESERVED);
            }
            if (!name.startsWith("_") && !template.parameters().containsKey(name)) {
                throw new RequestException(name, "is not a parameter of " + template.name(),
                        List.copyOf(template.parameters().keySet()));
            }
        }
        Optional<Grouping> grouping = grouping(template, query);
        List<String> sortable = grouping.map(RequestParser::outputColumns).orElse(template.sortable());
        return new QueryRequest(arguments, grouping, sort(query, sortable), limit(query, defaultLimit));
    }

    private static Optional<Grouping> grouping(Template template, Map<String, List<String>> query) {
        if (!template.grouped()) {
            for (String reserved : List.of("_group", "_measures")) {
                if (query.containsKey(reserved)) {
                    throw new RequestException(reserved, template.name() + " declares no dimensions or measures");
                }
            }
            return Optional.empty();
        }
        List<String> dimensions = names(query, "_group", List.copyOf(template.dimensions().keySet()), List.of());
        List<String> measures = names(query, "_measures", List.copyOf(template.measures().keySet()),
                List.copyOf(template.measures().keySet()));
        if (measures.isEmpty()) {
            throw new RequestException("_measures", "names no measure", List.copyOf(template.measures().keySet()));
        }
        return Optional.of(new Grouping(dimensions, measures));
    }

    private static List<String> names(Map<String, List<String>> query, String parameter, List<String> declared,
            List<String> otherwise) {
        List<String> values = query.get(parameter);
        if (values == null) {
            return otherwise;
        }
        List<String> names = new ArrayList<>();
        for (String name : commaSeparated(values)) {
            if (!declared.contains(name)) {
                throw new RequestException(parameter, "'" + name + "' is not declared", declared);
            }
            if (names.contains(name)) {
                throw new RequestException(parameter, "'" + name + "' is named twice", declared);
            }
            names.add(name);
        }
        return names;
    }

    private static List<String> outputColumns(Grouping grouping) {
        List<String> columns = new ArrayList<>(grouping.dimensions());
        columns.addAll(grouping.measures());
        return columns;
    }

    private static List<SortKey> sort(Map<String, List<String>> query, List<String> sortable) {
        List<String> values = query.get("_sort");
        if (values == null) {
            return List.of();
        }
        List<SortKey> keys = new ArrayList<>();
        for (String item : commaSeparated(values)) {
            boolean descending = item.startsWith("-");
            String column = descending ? item.substring(1) : item;
            if (!sortable.contains(column)) {
                throw new RequestException("_sort", "cannot sort on '" + column + "'", sortable);
            }
            if (keys.stream().anyMatch(key -> key.column().equals(column))) {
                throw new RequestException("_sort", "'" + column + "' is named twice", sortable);
            }
            keys.add(new SortKey(column, descending));
        }
        return keys;
    }

    private static OptionalInt limit(Map<String, List<String>> query, OptionalInt defaultLimit) {
        List<String> values = query.get("_limit");
        if (values == null) {
            return defaultLimit;
        }
        if (values.size() != 1) {
            throw new RequestException("_limit", "takes one value");
        }
        try {
            int limit = Integer.parseInt(values.get(0).trim());
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new NumberFormatException();
            }
            return OptionalInt.of(limit);
        } catch (NumberFormatException e) {
            throw new RequestException("_limit", "must be a whole number from 1 to " + MAX_LIMIT + ", got '" + values.get(0) + "'");
        }
    }

    private static List<String> commaSeparated(List<String> values) {
        List<String> items = new ArrayList<>();
        for (String value : values) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
        }
        return items;
    }
}
