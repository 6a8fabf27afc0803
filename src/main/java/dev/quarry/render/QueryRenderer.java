package dev.quarry.render;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import dev.quarry.template.Template;

/**
 * Turns a template and a checked request into SQL and bound values. Pure and allocation-light:
 * it runs on the event loop for every request.
 *
 * <pre>
 * SELECT * FROM (
 *     SELECT dimension AS "name", measure AS "name" FROM (body) AS fact GROUP BY 1   -- grouped templates
 * ) AS q ORDER BY "column" DESC LIMIT $n                                            -- when asked
 * </pre>
 */
public final class QueryRenderer {

    private QueryRenderer() {
    }

    public static RenderedQuery render(Template template, QueryRequest request) {
        SqlWriter out = new SqlWriter();
        boolean wrapped = !request.sort().isEmpty() || request.limit().isPresent();
        if (wrapped) {
            out.append("SELECT * FROM (");
        }
        relation(template, request.arguments(), request.grouping(), out);
        if (wrapped) {
            out.append(") AS q");
            orderBy(request.sort(), out);
            limit(request.limit(), out);
        }
        return out.query();
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
        return relationOnly(template, placeholders, allOf(template));
    }

    /** The statement with every optional parameter absent: it must be valid SQL too. */
    public static RenderedQuery renderMinimal(Template template) {
        Map<String, Object> placeholders = new HashMap<>();
        template.parameters().values().stream().filter(parameter -> !parameter.optional())
                .forEach(parameter -> placeholders.put(parameter.name(), new Placeholder(parameter.name())));
        return relationOnly(template, placeholders, allOf(template));
    }

    private static Optional<Grouping> allOf(Template template) {
        return template.grouped()
                ? Optional.of(new Grouping(List.copyOf(template.dimensions().keySet()), List.copyOf(template.measures().keySet())))
                : Optional.empty();
    }

    private static RenderedQuery relationOnly(Template template, Map<String, Object> arguments, Optional<Grouping> grouping) {
        SqlWriter out = new SqlWriter();
        relation(template, arguments, grouping, out);
        return out.query();
    }

    private static void relation(Template template, Map<String, Object> arguments, Optional<Grouping> grouping, SqlWriter out) {
        if (grouping.isEmpty()) {
            BodyRenderer.write(template.body(), arguments, out);
            return;
        }
        Grouping group = grouping.get();
        out.append("SELECT ");
        String separator = "";
        for (String dimension : group.dimensions()) {
            out.append(separator).append(template.dimensions().get(dimension)).append(" AS ").identifier(dimension);
            separator = ", ";
        }
        for (String measure : group.measures()) {
            out.append(separator).append(template.measures().get(measure)).append(" AS ").identifier(measure);
            separator = ", ";
        }
        out.append(" FROM (");
        BodyRenderer.write(template.body(), arguments, out);
        out.append(") AS fact");
        for (int i = 1; i <= group.dimensions().size(); i++) {
            out.append(i == 1 ? " GROUP BY " : ", ").append(Integer.toString(i));
        }
    }

    private static void orderBy(List<SortKey> sort, SqlWriter out) {
        for (int i = 0; i < sort.size(); i++) {
            SortKey key = sort.get(i);
            out.append(i == 0 ? " ORDER BY " : ", ").identifier(key.column()).append(key.descending() ? " DESC" : "");
        }
    }

    private static void limit(OptionalInt limit, SqlWriter out) {
        if (limit.isPresent()) {
            out.append(" LIMIT ").value((long) limit.getAsInt());
        }
    }
}
