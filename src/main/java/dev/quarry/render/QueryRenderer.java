package dev.quarry.render;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import dev.quarry.template.PgType;
import dev.quarry.template.ResultColumn;
import dev.quarry.template.SortKey;
import dev.quarry.template.Template;

/**
 * Turns a template and a checked request into SQL and bound values. Pure and allocation-light:
 * it runs on the event loop for every request.
 *
 * <pre>
 * SELECT * FROM (
 *     SELECT dimension AS "name", measure AS "name" FROM (body) AS fact GROUP BY 1   -- grouped templates
 * ) AS q
 * WHERE "column" &gt;= $2::numeric AND (keyset after a cursor)                          -- filters, _after
 * ORDER BY "column" DESC NULLS FIRST, "key" ASC NULLS LAST LIMIT $3 OFFSET $4         -- when asked
 * </pre>
 */
public final class QueryRenderer {

    private QueryRenderer() {
    }

    /** The rows the request asks for. */
    public static RenderedQuery render(Template template, QueryRequest request) {
        return render(new RowSource.Body(template), request);
    }

    /** The rows the request asks for, read from {@code source}. */
    public static RenderedQuery render(RowSource source, QueryRequest request) {
        return select(source, request, request.limit());
    }

    /** The rows of a page and one more, which tells whether there is a next page. */
    public static RenderedQuery renderPage(RowSource source, QueryRequest request) {
        OptionalInt limit = request.limit();
        return select(source, request, limit.isPresent() ? OptionalInt.of(limit.getAsInt() + 1) : limit);
    }

    /** The number of rows that pass the request's filters, all pages together. */
    public static RenderedQuery renderCount(RowSource source, QueryRequest request) {
        return filtered("SELECT count(*) FROM (", source, request);
    }

    /** The rows that pass the filters, unordered and unlimited: what the planner estimates for {@code _count=planned}. */
    public static RenderedQuery renderFiltered(RowSource source, QueryRequest request) {
        return filtered("SELECT * FROM (", source, request);
    }

    private static RenderedQuery filtered(String select, RowSource source, QueryRequest request) {
        SqlWriter out = new SqlWriter().append(select);
        relation(source, request.arguments(), request.grouping(), out);
        out.append(") AS q");
        where(request.filters(), List.of(), Optional.empty(), out);
        return out.query();
    }

    private static RenderedQuery select(RowSource source, QueryRequest request, OptionalInt limit) {
        SqlWriter out = new SqlWriter();
        boolean wrapped = !request.filters().isEmpty() || !request.ordering().isEmpty() || limit.isPresent()
                || request.offset().isPresent();
        if (!wrapped) {
            relation(source, request.arguments(), request.grouping(), out);
            return out.query();
        }
        out.append("SELECT * FROM (");
        relation(source, request.arguments(), request.grouping(), out);
        out.append(") AS q");
        where(request.filters(), request.ordering(), request.after().map(values -> typed(request, values)), out);
        orderBy(request.ordering(), out);
        if (limit.isPresent()) {
            out.append(" LIMIT ").value((long) limit.getAsInt());
        }
        if (request.offset().isPresent()) {
            out.append(" OFFSET ").value((long) request.offset().getAsInt());
        }
        return out.query();
    }

    /** Each cursor value with the SQL type of its ordering column. */
    private static List<Typed> typed(QueryRequest request, List<Object> values) {
        List<Typed> typed = new java.util.ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String column = request.ordering().get(i).column();
            PgType type = request.columns().stream().filter(c -> c.name().equals(column)).findFirst()
                    .flatMap(ResultColumn::valueType).orElseThrow();
            typed.add(new Typed(values.get(i), type));
        }
        return typed;
    }

    private record Typed(Object value, PgType type) {
    }

    /** Stands in a statement for a parameter's value, so a check can tell which {@code $n} is which parameter. */
    public record Placeholder(String parameter) {
    }

    /**
     * The statement the startup check prepares: every parameter present (as a {@link Placeholder}) so
     * every optional block is kept, and every dimension and measure of a grouped template.
     */
    public static RenderedQuery renderEverything(Template template) {
        Map<String, Object> placeholders = new HashMap<>();
        template.parameters().keySet().forEach(name -> placeholders.put(name, new Placeholder(name)));
        if (template.tenant()) {
            placeholders.put(Template.TENANT, new Placeholder(Template.TENANT));
        }
        return relationOnly(template, placeholders, allOf(template));
    }

    /** The statement with every optional parameter absent: it must be valid SQL too. */
    public static RenderedQuery renderMinimal(Template template) {
        Map<String, Object> placeholders = new HashMap<>();
        template.parameters().values().stream().filter(parameter -> !parameter.optional())
                .forEach(parameter -> placeholders.put(parameter.name(), new Placeholder(parameter.name())));
        if (template.tenant()) {
            placeholders.put(Template.TENANT, new Placeholder(Template.TENANT));
        }
        return relationOnly(template, placeholders, allOf(template));
    }

    private static Optional<Grouping> allOf(Template template) {
        return template.grouped()
                ? Optional.of(new Grouping(List.copyOf(template.header().dimensions().keySet()),
                        List.copyOf(template.header().measures().keySet())))
                : Optional.empty();
    }

    private static RenderedQuery relationOnly(Template template, Map<String, Object> arguments, Optional<Grouping> grouping) {
        SqlWriter out = new SqlWriter();
        relation(new RowSource.Body(template), arguments, grouping, out);
        return out.query();
    }

    private static void relation(RowSource source, Map<String, Object> arguments, Optional<Grouping> grouping, SqlWriter out) {
        if (source instanceof RowSource.Rollup rollup) {
            RollupRenderer.relation(rollup, arguments, grouping.orElseThrow(), out);
            return;
        }
        Template template = source.template();
        if (grouping.isEmpty()) {
            BodyRenderer.write(template.body(), arguments, out);
            return;
        }
        Grouping group = grouping.get();
        out.append("SELECT ");
        String separator = "";
        for (String dimension : group.dimensions()) {
            out.append(separator).append(template.header().dimensions().get(dimension)).append(" AS ").identifier(dimension);
            separator = ", ";
        }
        for (String measure : group.measures()) {
            out.append(separator).append(template.header().measures().get(measure)).append(" AS ").identifier(measure);
            separator = ", ";
        }
        out.append(" FROM (");
        BodyRenderer.write(template.body(), arguments, out);
        out.append(") AS fact");
        for (int i = 1; i <= group.dimensions().size(); i++) {
            out.append(i == 1 ? " GROUP BY " : ", ").append(Integer.toString(i));
        }
    }

    private static void where(List<Filter> filters, List<SortKey> ordering, Optional<List<Typed>> after, SqlWriter out) {
        String separator = " WHERE ";
        for (Filter filter : filters) {
            out.append(separator);
            FilterWriter.write(filter, out);
            separator = " AND ";
        }
        if (after.isPresent()) {
            out.append(separator);
            keyset(ordering, after.get(), out);
        }
    }

    /**
     * Rows after a cursor under an ordering with ASC NULLS LAST and DESC NULLS FIRST, written out
     * column by column, since a row comparison cannot mix directions or see nulls.
     */
    private static void keyset(List<SortKey> ordering, List<Typed> after, SqlWriter out) {
        out.append("(");
        String or = "";
        boolean any = false;
        for (int i = 0; i < ordering.size(); i++) {
            SortKey key = ordering.get(i);
            Typed value = after.get(i);
            if (value.value() == null && !key.descending()) {
                continue; // nothing sorts after a null ascending
            }
            out.append(or).append("(");
            for (int j = 0; j < i; j++) {
                Typed equal = after.get(j);
                out.identifier(ordering.get(j).column());
                if (equal.value() == null) {
                    out.append(" IS NULL AND ");
                } else {
                    out.append(" = ").value(equal.value()).append("::" + equal.type().cast() + " AND ");
                }
            }
            if (value.value() == null) {
                out.identifier(key.column()).append(" IS NOT NULL");
            } else if (key.descending()) {
                out.identifier(key.column()).append(" < ").value(value.value()).append("::" + value.type().cast());
            } else {
                out.append("(").identifier(key.column()).append(" > ").value(value.value())
                        .append("::" + value.type().cast() + " OR ").identifier(key.column()).append(" IS NULL)");
            }
            out.append(")");
            or = " OR ";
            any = true;
        }
        out.append(any ? ")" : "FALSE)");
    }

    private static void orderBy(List<SortKey> ordering, SqlWriter out) {
        for (int i = 0; i < ordering.size(); i++) {
            SortKey key = ordering.get(i);
            out.append(i == 0 ? " ORDER BY " : ", ").identifier(key.column())
                    .append(key.descending() ? " DESC NULLS FIRST" : " ASC NULLS LAST");
        }
    }
}
