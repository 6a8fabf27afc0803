package dev.quarry.render;

import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.quarry.render.QueryRenderer.Placeholder;
import dev.quarry.template.Fragment;
import dev.quarry.template.MeasureParts;
import dev.quarry.template.ParameterSpec;
import dev.quarry.template.RollupDeclaration;
import dev.quarry.template.Template;

/**
 * The SQL of a rollup: the statement that builds its rows from the template, and the grouped relation a
 * request reads from its table instead of the template's body. {@link QueryRenderer} writes everything
 * around that relation (filters, ordering, keyset, limit, count) the same for both.
 *
 * <pre>
 * SELECT r_name AS "region", date_trunc('month', o_orderdate::timestamp) AS "o_orderdate",
 *        sum(revenue) AS "revenue__sum", count(l_discount) AS "avg_discount__count"
 * FROM (body with the build arguments) AS fact GROUP BY 1, 2                            -- build
 *
 * SELECT "region" AS "region", sum("revenue__sum")::numeric AS "revenue"
 * FROM quarry_rollup."analysis__revenue_cube__monthly" AS rollup
 * WHERE o_orderdate &gt;= $1::date AND o_orderdate &lt; $2::date GROUP BY 1                -- answer
 * </pre>
 */
public final class RollupRenderer {

    private RollupRenderer() {
    }

    /** A span of the time column, from (included) until (excluded): one partition. */
    public record TimeRange(LocalDateTime from, LocalDateTime until) {
    }

    /** The rollup's rows, from the template's body run with the rollup's build arguments; only those in {@code range} if given. */
    public static RenderedQuery build(Template template, RollupDeclaration rollup, Optional<TimeRange> range) {
        return build(template, rollup, buildArguments(template, rollup), range);
    }

    /** The arguments a rollup is built with: its build values, else each parameter's default. */
    public static Map<String, Object> buildArguments(Template template, RollupDeclaration rollup) {
        Map<String, Object> arguments = new HashMap<>();
        for (ParameterSpec parameter : template.parameters().values()) {
            Optional.ofNullable(rollup.build().get(parameter.name())).or(parameter::defaultValue)
                    .ifPresent(value -> arguments.put(parameter.name(), value));
        }
        return arguments;
    }

    /**
     * The build statement with a {@link Placeholder} for each parameter, and the rollup's where over its
     * rows: what the startup check prepares, to find a where or a time column PostgreSQL cannot read, and
     * the type of each aggregate column.
     */
    public static RenderedQuery buildChecked(Template template, RollupDeclaration rollup) {
        Map<String, Object> placeholders = new HashMap<>();
        buildArguments(template, rollup).keySet().forEach(name -> placeholders.put(name, new Placeholder(name)));
        SqlWriter out = new SqlWriter().append("SELECT * FROM (");
        writeBuild(template, rollup, placeholders, "", Optional.empty(), out);
        out.append(") AS rollup");
        writeWhere(rollup, placeholders, out);
        return out.query();
    }

    private static RenderedQuery build(Template template, RollupDeclaration rollup, Map<String, Object> arguments,
            Optional<TimeRange> range) {
        SqlWriter out = new SqlWriter();
        writeBuild(template, rollup, arguments, "", range, out);
        return out.query();
    }

    /** @param scope prefixed to the build's parameter names, to bind them apart from a request's of the same name */
    private static void writeBuild(Template template, RollupDeclaration rollup, Map<String, Object> arguments, String scope,
            Optional<TimeRange> range, SqlWriter out) {
        out.append("SELECT ");
        String separator = "";
        for (String dimension : rollup.dimensions()) {
            out.append(separator).append(template.header().dimensions().get(dimension)).append(" AS ").identifier(dimension);
            separator = ", ";
        }
        if (rollup.time().isPresent()) {
            out.append(separator).append("date_trunc('" + rollup.time().get().grain().field() + "', " + rollup.time().get().column()
                    + "::timestamp) AS ").identifier(rollup.time().get().column());
            separator = ", ";
        }
        for (Map.Entry<String, String> part : RollupParts.of(template, rollup).columns().entrySet()) {
            out.append(separator).append(part.getKey()).append(" AS ").identifier(part.getValue());
            separator = ", ";
        }
        out.append(" FROM (");
        BodyRenderer.write(template.body(), arguments, scope, out);
        out.append(") AS fact");
        if (range.isPresent()) {
            String column = rollup.time().orElseThrow(() -> new IllegalArgumentException(rollup.label() + " keeps no time column"))
                    .column();
            out.append(" WHERE " + column + "::timestamp >= ").value(range.get().from()).append("::timestamp AND " + column
                    + "::timestamp < ").value(range.get().until()).append("::timestamp");
        }
        int grouped = rollup.dimensions().size() + (rollup.time().isPresent() ? 1 : 0);
        for (int i = 1; i <= grouped; i++) {
            out.append(i == 1 ? " GROUP BY " : ", ").append(Integer.toString(i));
        }
    }

    /** The grouped relation a request reads from the rollup's table: its dimensions and measures, as the template gives them. */
    static void relation(RowSource.Rollup source, Map<String, Object> arguments, Grouping grouping, SqlWriter out) {
        Template template = source.template();
        RollupParts parts = RollupParts.of(template, source.rollup());
        out.append("SELECT ");
        String separator = "";
        for (String dimension : grouping.dimensions()) {
            out.append(separator).identifier(dimension).append(" AS ").identifier(dimension);
            separator = ", ";
        }
        for (String measure : grouping.measures()) {
            out.append(separator).append(measure(template.header().measures().get(measure), parts, source.partTypes())).append(" AS ")
                    .identifier(measure);
            separator = ", ";
        }
        if (source.fromBuild()) {
            out.append(" FROM (");
            writeBuild(template, source.rollup(), buildArguments(template, source.rollup()), "build ", Optional.empty(), out);
            out.append(") AS rollup");
        } else {
            out.append(" FROM ").append(source.rollup().table()).append(" AS rollup");
        }
        writeWhere(source.rollup(), arguments, out);
        for (int i = 1; i <= grouping.dimensions().size(); i++) {
            out.append(i == 1 ? " GROUP BY " : ", ").append(Integer.toString(i));
        }
    }

    private static void writeWhere(RollupDeclaration rollup, Map<String, Object> arguments, SqlWriter out) {
        if (rollup.where().isEmpty()) {
            return;
        }
        out.append(" WHERE ");
        for (Fragment fragment : rollup.where()) {
            if (fragment instanceof Fragment.Sql sql) {
                out.template(sql.text(), sql.source(), sql.line());
            } else if (fragment instanceof Fragment.Param param) {
                out.parameter(param.name(), arguments.get(param.name()));
            }
        }
    }

    /**
     * A measure over the rollup's parts: the template's expression with each aggregate call replaced by
     * its parts aggregated again, in the type the call has over the body; a non-additive measure, read at
     * exactly the rollup's grain, is its one row's value.
     */
    private static String measure(String expression, RollupParts parts, Map<String, String> partTypes) {
        MeasureParts measure = MeasureParts.of(expression);
        if (!measure.additive()) {
            return "min(" + quoted(parts.column(expression)) + ")";
        }
        StringBuilder sql = new StringBuilder();
        int written = 0;
        for (MeasureParts.Call call : measure.calls()) {
            sql.append(expression, written, call.start());
            if (call.average()) {
                sql.append("(sum(").append(quoted(parts.column(call.parts().get(0).sql()))).append(") / sum(")
                        .append(quoted(parts.column(call.parts().get(1).sql()))).append(")::numeric)");
            } else {
                sql.append(again(call.parts().get(0), parts.column(call.parts().get(0).sql()), partTypes));
            }
            written = call.end();
        }
        return sql.append(expression.substring(written)).toString();
    }

    private static String again(MeasureParts.Part part, String column, Map<String, String> partTypes) {
        return switch (part.kind()) {
            // the sum of bigint sums is a numeric: cast back to what the template's sum gives
            case SUM -> "sum(" + quoted(column) + ")::" + partTypes.get(column);
            // the template counts 0 over no rows, where a sum of no counts is NULL
            case COUNT -> "coalesce(sum(" + quoted(column) + "), 0)::bigint";
            case MIN -> "min(" + quoted(column) + ")";
            case MAX -> "max(" + quoted(column) + ")";
        };
    }

    private static String quoted(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** The part columns of a rollup, in table order, for describing their types. */
    public static List<String> partColumns(Template template, RollupDeclaration rollup) {
        return List.copyOf(RollupParts.of(template, rollup).columns().values());
    }
}
