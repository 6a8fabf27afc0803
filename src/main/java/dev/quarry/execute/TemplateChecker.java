package dev.quarry.execute;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.quarry.render.QueryRenderer;
import dev.quarry.render.QueryRenderer.Placeholder;
import dev.quarry.render.RenderedQuery;
import dev.quarry.render.RollupRenderer;
import dev.quarry.template.Fragment;
import dev.quarry.template.ParameterSpec;
import dev.quarry.template.ResultColumn;
import dev.quarry.template.RollupDeclaration;
import dev.quarry.template.SortKey;
import dev.quarry.template.SourcePosition;
import dev.quarry.template.Template;
import dev.quarry.template.TemplateException;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.mutiny.sqlclient.desc.ColumnDescriptor;
import io.vertx.pgclient.PgException;

/**
 * Has PostgreSQL confirm a template at startup: it prepares the statement with every optional block
 * kept and again with every one dropped, reads the types PostgreSQL inferred for each placeholder and
 * each output column, and plans it to see that it only reads. Nothing is read but the statement's
 * types: it runs only under {@code LIMIT 0}, with NULL bound to every parameter. Works from PostgreSQL
 * 15 on, and on Citus.
 */
final class TemplateChecker {

    private static final String PREPARE = "PREPARE quarry_check AS ";
    private static final String EXPLAIN = "EXPLAIN (FORMAT JSON) ";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    private final SqlConnection connection;

    TemplateChecker(SqlConnection connection) {
        this.connection = connection;
    }

    /** The template's output columns; a {@link TemplateException} says what is wrong, and where. */
    List<ResultColumn> check(Template template) {
        RenderedQuery everything = QueryRenderer.renderEverything(template);
        RenderedQuery minimal = QueryRenderer.renderMinimal(template);
        try {
            run("BEGIN READ ONLY");
            prepare(template, everything);
            Row types = run("SELECT parameter_types::text[] FROM pg_prepared_statements WHERE name = 'quarry_check'")
                    .iterator().next();
            checkParameters(template, everything, types.getArrayOfStrings(0));
            run("DEALLOCATE quarry_check");
            if (!minimal.sql().equals(everything.sql())) {
                prepare(template, minimal);
                run("DEALLOCATE quarry_check");
            }
            checkReadOnly(template, everything);
            List<ResultColumn> columns = columns(everything, nullBinds(everything));
            checkNames(template, columns);
            return columns;
        } finally {
            run("ROLLBACK");
            connection.query("DEALLOCATE quarry_check").execute().onFailure().recoverWithNull().await().atMost(STEP_TIMEOUT);
        }
    }

    /**
     * For each rollup of the template, the type of each aggregate column of its table: PostgreSQL prepares
     * its build statement with its where over the built rows, which finds a where or a time column it
     * cannot read, at the rollup's first line.
     */
    Map<String, Map<String, String>> checkRollups(Template template) {
        Map<String, Map<String, String>> parts = new LinkedHashMap<>();
        for (RollupDeclaration rollup : template.header().rollups()) {
            RenderedQuery built = RollupRenderer.buildChecked(template, rollup);
            try {
                run("BEGIN READ ONLY");
                run(PREPARE + built.sql());
                List<ResultColumn> columns = columns(built, nullBinds(built));
                Map<String, String> types = new LinkedHashMap<>();
                for (String part : RollupRenderer.partColumns(template, rollup)) {
                    columns.stream().filter(column -> column.name().equals(part)).findFirst()
                            .ifPresent(column -> types.put(part, column.type()));
                }
                parts.put(rollup.name(), Map.copyOf(types));
            } catch (PgException e) {
                throw new TemplateException(rollup.position().source(), rollup.position().line(), "rollup '" + rollup.name()
                        + "': PostgreSQL: " + e.getErrorMessage());
            } finally {
                run("ROLLBACK");
                connection.query("DEALLOCATE quarry_check").execute().onFailure().recoverWithNull().await().atMost(STEP_TIMEOUT);
            }
        }
        return Map.copyOf(parts);
    }

    private void prepare(Template template, RenderedQuery query) {
        try {
            run(PREPARE + query.sql());
        } catch (PgException e) {
            throw refused(template, query, e, PREPARE.length());
        }
    }

    /** PostgreSQL's (or Citus') refusal, at the file and line it points to, else the template's first line. */
    private static TemplateException refused(Template template, RenderedQuery query, PgException e, int prefixLength) {
        // none when the error is in text Quarry wrote, such as a dimension's expression
        SourcePosition where = Optional.ofNullable(e.getPosition())
                .flatMap(position -> query.locate(Integer.parseInt(position) - 1 - prefixLength))
                .orElse(new SourcePosition(template.source(), 1));
        return new TemplateException(where.source(), where.line(), "PostgreSQL: " + e.getErrorMessage());
    }

    private static void checkParameters(Template template, RenderedQuery query, String[] postgresTypes) {
        for (int i = 0; i < query.values().size(); i++) {
            if (!(query.values().get(i) instanceof Placeholder placeholder)) {
                continue;
            }
            ParameterSpec parameter = template.parameters().get(placeholder.parameter());
            String postgresType = postgresTypes[i];
            boolean isArray = postgresType.endsWith("[]");
            String element = isArray ? postgresType.substring(0, postgresType.length() - 2) : postgresType;
            if (isArray != parameter.list() || !parameter.type().accepts(element)) {
                throw new TemplateException(template.source(), firstUse(template.body(), parameter.name()),
                        "parameter :" + parameter.name() + " is declared " + parameter.typeName() + " but PostgreSQL reads it as "
                                + postgresType + "; cast it in the SQL, as :" + parameter.name() + "::" + parameter.type().pgType().cast()
                                + (parameter.list() ? "[]" : ""));
            }
        }
    }

    /** The values of a check's statement: NULL for each parameter, the rendered value for anything else. */
    private static Tuple nullBinds(RenderedQuery query) {
        Tuple nulls = Tuple.tuple();
        query.values().forEach(value -> nulls.addValue(value instanceof Placeholder ? null : value));
        return nulls;
    }

    /**
     * The plan with each parameter's default, NULL where it has none (EXPLAIN's GENERIC_PLAN only exists
     * from 16 on, and Citus refuses it). Defaults rather than NULLs: with NULL in its conditions the
     * planner proves a query empty and Citus then never meets what it cannot distribute (a recursive
     * CTE beside a distributed table, grouping sets), which would fail only when a request ran it.
     */
    private void checkReadOnly(Template template, RenderedQuery query) {
        Tuple defaults = Tuple.tuple();
        query.values().forEach(value -> defaults.addValue(value instanceof Placeholder placeholder
                ? template.parameters().get(placeholder.parameter()).defaultValue().orElse(null) : value));
        String plan;
        try {
            plan = connection.preparedQuery(EXPLAIN + query.sql()).execute(defaults).await().atMost(STEP_TIMEOUT)
                    .iterator().next().getValue(0).toString();
        } catch (PgException e) {
            throw refused(template, query, e, EXPLAIN.length());
        }
        if (plan.contains("\"ModifyTable\"")) {
            throw new TemplateException(template.source(), 1, "the statement writes; templates only read");
        }
    }

    /** Names from an execution that returns no row; types as PostgreSQL writes them, and their modifiers. */
    private List<ResultColumn> columns(RenderedQuery query, Tuple nulls) {
        RowSet<Row> empty = connection.preparedQuery("SELECT * FROM (" + query.sql() + ") AS q LIMIT 0").execute(nulls)
                .await().atMost(STEP_TIMEOUT);
        List<String> names = empty.columnsNames();
        List<String> types = ResultTypes.of(connection, query.sql(), nulls, names.size());
        List<ColumnDescriptor> descriptors = empty.columnDescriptors();
        List<ResultColumn> columns = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            columns.add(new ResultColumn(names.get(i), types.get(i), ResultTypes.modifier(descriptors.get(i))));
        }
        return columns;
    }

    private static void checkNames(Template template, List<ResultColumn> columns) {
        Set<String> names = new HashSet<>();
        for (ResultColumn column : columns) {
            if (!names.add(column.name())) {
                throw new TemplateException(template.source(), 1, "output column '" + column.name()
                        + "' appears twice; give one of them another name with AS");
            }
        }
        for (String declared : concat(template.header().sortable(), template.header().key())) {
            if (!names.contains(declared)) {
                throw new TemplateException(template.source(), 1, "'" + declared + "' in @sort or @key is not an output column; "
                        + "the columns are " + String.join(", ", names));
            }
        }
        for (SortKey item : template.header().order()) {
            if (!template.header().sortable().contains(item.column())) {
                throw new TemplateException(template.source(), 1, "'" + item.column() + "' in @order is not in @sort");
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static int firstUse(List<Fragment> body, String parameter) {
        for (Fragment fragment : body) {
            if (fragment instanceof Fragment.Param param && param.name().equals(parameter)) {
                return param.line();
            }
            if (fragment instanceof Fragment.OptionalBlock block) {
                int line = firstUse(block.body(), parameter);
                if (line > 0) {
                    return line;
                }
            }
        }
        return 1;
    }

    private RowSet<Row> run(String sql) {
        return connection.query(sql).execute().await().atMost(STEP_TIMEOUT);
    }
}
