package dev.quarry.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import dev.quarry.template.MeasureParts;
import dev.quarry.template.ParameterSpec;
import dev.quarry.template.PgType;
import dev.quarry.template.ResultColumn;
import dev.quarry.template.SortKey;
import dev.quarry.template.Template;

/**
 * Reads a request's query parameters against a template and its described columns. Names starting
 * with {@code _} are Quarry's own; a template's parameter names are its parameters; any other name is
 * a filter on an output column, {@code column} or {@code column__lookup}. Every name a request may
 * choose is looked up among declared or described ones; nothing it sends becomes SQL text.
 */
public final class RequestParser {

    /** The most rows one page or stream may be limited to. */
    public static final int MAX_LIMIT = 10_000;
    /** The most filters one request may carry. */
    public static final int MAX_FILTERS = 50;

    private static final List<String> RESERVED = List.of("_sort", "_limit", "_offset", "_after", "_count", "_explain",
            "_group", "_measures", "_rollup");

    private final Template template;
    private final Map<String, List<String>> query;
    private final Optional<Tenant> tenant;

    private RequestParser(Template template, Map<String, List<String>> query, Optional<Tenant> tenant) {
        this.template = template;
        this.query = query;
        this.tenant = tenant;
    }

    /**
     * @param described    the template's output columns as the startup check described them
     * @param defaultLimit the limit when the request gives none: a page's size, or none for a stream
     * @param lastEventId  an SSE client's {@code Last-Event-ID}: a cursor to resume after
     */
    public static QueryRequest parse(Template template, List<ResultColumn> described, Map<String, List<String>> query,
            OptionalInt defaultLimit, CursorCodec cursors, Optional<String> lastEventId) {
        return parse(template, described, query, Optional.empty(), defaultLimit, cursors, lastEventId);
    }

    /**
     * @param  tenant                the caller's tenant, from its verified token: required by a template that uses {@code :tenant}
     * @throws IllegalStateException for a tenant template without a tenant, which the caller refuses before
     */
    public static QueryRequest parse(Template template, List<ResultColumn> described, Map<String, List<String>> query,
            Optional<Tenant> tenant, OptionalInt defaultLimit, CursorCodec cursors, Optional<String> lastEventId) {
        if (template.tenant() && tenant.isEmpty()) {
            throw new IllegalStateException(template.name() + " uses :" + Template.TENANT + " but the request has no tenant");
        }
        return new RequestParser(template, query, tenant).parse(described, defaultLimit, cursors, lastEventId);
    }

    private QueryRequest parse(List<ResultColumn> described, OptionalInt defaultLimit, CursorCodec cursors,
            Optional<String> lastEventId) {
        for (String name : query.keySet()) {
            if (name.startsWith("_") && !RESERVED.contains(name)) {
                throw new RequestException(name, "is not a parameter Quarry knows", RESERVED);
            }
        }
        Map<String, Object> arguments = arguments();
        Optional<Grouping> grouping = grouping();
        List<ResultColumn> columns = grouping.map(group -> groupColumns(group, described)).orElse(described);
        List<String> sortable = grouping.isPresent() ? names(columns) : template.header().sortable();
        List<String> key = grouping.map(Grouping::dimensions).orElse(template.header().key());
        List<SortKey> sort = query.containsKey("_sort") ? sort(sortable) : declaredOrder(sortable);
        List<SortKey> ordering = new ArrayList<>(sort);
        key.stream().filter(column -> sort.stream().noneMatch(k -> k.column().equals(column)))
                .forEach(column -> ordering.add(new SortKey(column, false)));
        boolean keyed = !key.isEmpty() && ordering.stream().allMatch(k -> column(columns, k.column()).valueType().isPresent());
        QueryRequest shape = new QueryRequest(arguments, grouping, columns, filters(columns), List.copyOf(ordering), keyed,
                Optional.empty(), limit(defaultLimit), number("_offset", 0, Integer.MAX_VALUE), count(), flag("_explain"));
        Optional<String> token = single("_after").or(() -> lastEventId);
        if (token.isEmpty()) {
            return shape;
        }
        if (!keyed) {
            throw new RequestException("_after", "needs an ordering that ends with the row key; " + template.name()
                    + " declares no @key" + (grouping.isPresent() ? " (a grouped request is keyed by its _group)" : ""));
        }
        return new QueryRequest(shape.arguments(), grouping, columns, shape.filters(), shape.ordering(), true,
                Optional.of(after(token.get(), shape, columns, cursors)), shape.limit(), shape.offset(), shape.count(),
                shape.explain());
    }

    private Map<String, Object> arguments() {
        Map<String, Object> arguments = new LinkedHashMap<>();
        if (template.tenant()) {
            if (query.containsKey(Template.TENANT)) {
                throw new RequestException(Template.TENANT, "is bound from the caller's verified token, never from the request");
            }
            arguments.put(Template.TENANT, tenant.orElseThrow().value());
        }
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
        return arguments;
    }

    private Optional<Grouping> grouping() {
        if (!template.grouped()) {
            for (String reserved : List.of("_group", "_measures")) {
                if (query.containsKey(reserved)) {
                    throw new RequestException(reserved, template.name() + " declares no dimensions or measures");
                }
            }
            return Optional.empty();
        }
        List<String> dimensions = chosen("_group", List.copyOf(template.header().dimensions().keySet()), template.header().group());
        List<String> measures = chosen("_measures", List.copyOf(template.header().measures().keySet()),
                List.copyOf(template.header().measures().keySet()));
        if (measures.isEmpty()) {
            throw new RequestException("_measures", "names no measure", List.copyOf(template.header().measures().keySet()));
        }
        for (String measure : measures) {
            List<String> ungrouped = MeasureParts.windowNames(template.header().measures().get(measure)).stream()
                    .filter(name -> template.header().dimensions().containsKey(name) && !dimensions.contains(name)).toList();
            if (!ungrouped.isEmpty()) {
                throw new RequestException("_group", "measure " + measure + " is a window over " + String.join(" and ", ungrouped)
                        + ": group by " + (ungrouped.size() == 1 ? "it" : "them") + " too, or leave " + measure + " out of _measures",
                        List.copyOf(template.header().dimensions().keySet()));
            }
        }
        return Optional.of(new Grouping(dimensions, measures));
    }

    private static List<ResultColumn> groupColumns(Grouping grouping, List<ResultColumn> described) {
        List<ResultColumn> columns = new ArrayList<>();
        grouping.dimensions().forEach(name -> columns.add(column(described, name)));
        grouping.measures().forEach(name -> columns.add(column(described, name)));
        return columns;
    }

    private List<String> chosen(String parameter, List<String> declared, List<String> otherwise) {
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

    private List<SortKey> sort(List<String> sortable) {
        List<SortKey> keys = new ArrayList<>();
        for (String item : commaSeparated(query.get("_sort"))) {
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

    /**
     * The template's {@code @order}, which the startup check confirmed names sortable columns; a grouped
     * request keeps only the columns it chose.
     */
    private List<SortKey> declaredOrder(List<String> sortable) {
        return template.header().order().stream()
                .filter(key -> sortable.contains(key.column()))
                .toList();
    }

    private List<Filter> filters(List<ResultColumn> columns) {
        List<Filter> filters = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            String name = entry.getKey();
            if (name.startsWith("_") || template.parameters().containsKey(name)) {
                continue;
            }
            int split = name.lastIndexOf("__");
            String columnName = split < 0 ? name : name.substring(0, split);
            Lookup lookup = split < 0 ? Lookup.EXACT
                    : Lookup.of(name.substring(split + 2))
                            .orElseThrow(() -> new RequestException(name, "has no lookup '" + name.substring(split + 2) + "'",
                                    java.util.Arrays.stream(Lookup.values()).map(Lookup::suffix).toList()));
            ResultColumn column = columns.stream().filter(c -> c.name().equals(columnName)).findFirst()
                    .orElseThrow(() -> new RequestException(name, "is neither a parameter of " + template.name()
                            + " nor an output column to filter on", allNames(columns)));
            PgType type = column.valueType().orElseThrow(
                    () -> new RequestException(name, "filters a column of type " + column.type() + ", which cannot be filtered"));
            if (!lookup.appliesTo(type)) {
                throw new RequestException(name, "'" + lookup.suffix() + "' applies to text columns; " + columnName
                        + " is " + column.type());
            }
            filters.add(new Filter(columnName, lookup, type, filterValues(name, lookup, type, entry.getValue())));
            if (filters.size() > MAX_FILTERS) {
                throw new RequestException(name, "is one filter too many: a request takes at most " + MAX_FILTERS);
            }
        }
        return filters;
    }

    private static List<Object> filterValues(String name, Lookup lookup, PgType type, List<String> raw) {
        if (raw.size() != 1) {
            throw new RequestException(name, "takes one value; for several use " + name.replaceFirst("__[a-z]+$", "") + "__in=a,b");
        }
        String value = raw.get(0);
        try {
            return switch (lookup) {
                case ISNULL -> List.of(PgType.BOOLEAN.parse(value));
                case IN -> {
                    List<Object> values = new ArrayList<>();
                    for (String item : value.split(",", -1)) {
                        values.add(type.parse(item));
                    }
                    if (values.size() > ParameterSpec.MAX_LIST_LENGTH) {
                        throw new IllegalArgumentException("takes at most " + ParameterSpec.MAX_LIST_LENGTH + " values");
                    }
                    yield values;
                }
                case RANGE -> {
                    String[] bounds = value.split(",", -1);
                    if (bounds.length != 2) {
                        throw new IllegalArgumentException("takes two values, low,high; got '" + value + "'");
                    }
                    yield List.of(type.parse(bounds[0]), type.parse(bounds[1]));
                }
                default -> List.of(type.parse(value));
            };
        } catch (IllegalArgumentException e) {
            throw new RequestException(name, e.getMessage());
        }
    }

    private List<Object> after(String token, QueryRequest shape, List<ResultColumn> columns, CursorCodec cursors) {
        List<String> values;
        try {
            values = cursors.decode(template.name(), shape.orderingSignature(), token);
        } catch (IllegalArgumentException e) {
            throw new RequestException("_after", e.getMessage());
        }
        if (values.size() != shape.ordering().size()) {
            throw new RequestException("_after", "is not a cursor this service issued for this query and ordering");
        }
        List<Object> typed = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            PgType type = column(columns, shape.ordering().get(i).column()).valueType().orElseThrow();
            try {
                typed.add(value == null ? null : type.parse(value));
            } catch (IllegalArgumentException e) {
                throw new RequestException("_after", "no longer fits this query's columns; start again without it");
            }
        }
        return typed;
    }

    private OptionalInt limit(OptionalInt defaultLimit) {
        OptionalInt limit = number("_limit", 1, MAX_LIMIT);
        return limit.isPresent() ? limit : defaultLimit;
    }

    private OptionalInt number(String parameter, int min, int max) {
        Optional<String> value = single(parameter);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            int number = Integer.parseInt(value.get().trim());
            if (number < min || number > max) {
                throw new NumberFormatException();
            }
            return OptionalInt.of(number);
        } catch (NumberFormatException e) {
            throw new RequestException(parameter, "must be a whole number from " + min + " to " + max + ", got '" + value.get() + "'");
        }
    }

    private CountMode count() {
        Optional<String> value = single("_count");
        if (value.isEmpty()) {
            return CountMode.NONE;
        }
        return switch (value.get()) {
            case "exact" -> CountMode.EXACT;
            case "planned" -> CountMode.PLANNED;
            default -> throw new RequestException("_count", "is exact or planned, not '" + value.get() + "'",
                    List.of("exact", "planned"));
        };
    }

    private boolean flag(String parameter) {
        Optional<String> value = single(parameter);
        try {
            return value.isPresent() && (Boolean) PgType.BOOLEAN.parse(value.get());
        } catch (IllegalArgumentException e) {
            throw new RequestException(parameter, e.getMessage());
        }
    }

    private Optional<String> single(String parameter) {
        List<String> values = query.get(parameter);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() != 1) {
            throw new RequestException(parameter, "takes one value");
        }
        return Optional.of(values.get(0));
    }

    private static ResultColumn column(List<ResultColumn> columns, String name) {
        return columns.stream().filter(column -> column.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no output column " + name));
    }

    private static List<String> names(List<ResultColumn> columns) {
        return columns.stream().map(ResultColumn::name).toList();
    }

    private List<String> allNames(List<ResultColumn> columns) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>(template.parameters().keySet());
        names.addAll(names(columns));
        return List.copyOf(names);
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
