package dev.quarry.execute;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.render.QueryRenderer;
import dev.quarry.render.QueryRenderer.Placeholder;
import dev.quarry.render.RenderedQuery;
import dev.quarry.render.RollupRenderer;
import dev.quarry.template.Fragment;
import dev.quarry.template.ParamType;
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

    private static final String GENERIC_PLAN = "EXPLAIN (GENERIC_PLAN, VERBOSE, FORMAT JSON) ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqlConnection connection;
    private final TenantScope scope;
    /** The type :tenant is bound as, when tenancy is on. */
    private final Optional<ParamType> tenantType;

    TemplateChecker(SqlConnection connection) {
        this(connection, TenantScope.none(), Optional.empty());
    }

    TemplateChecker(SqlConnection connection, TenantScope scope, Optional<ParamType> tenantType) {
        this.connection = connection;
        this.scope = scope;
        this.tenantType = tenantType;
    }

    /** The template's output columns; a {@link TemplateException} says what is wrong, and where. */
    List<ResultColumn> check(Template template) {
        RenderedQuery everything = QueryRenderer.renderEverything(template);
        RenderedQuery minimal = QueryRenderer.renderMinimal(template);
        try {
            run("BEGIN READ ONLY");
            // the session's default timeout is for requests; on a busy machine planning a check can take longer
            run("SET LOCAL statement_timeout = " + STEP_TIMEOUT.toMillis());
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
            if (!scope.isEmpty()) {
                checkTenant(template, minimal.sql().equals(everything.sql()) ? List.of(everything) : List.of(everything, minimal));
            }
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

    private void checkParameters(Template template, RenderedQuery query, String[] postgresTypes) {
        for (int i = 0; i < query.values().size(); i++) {
            if (!(query.values().get(i) instanceof Placeholder placeholder)) {
                continue;
            }
            String postgresType = postgresTypes[i];
            if (placeholder.parameter().equals(Template.TENANT)) {
                checkTenantType(template, postgresType);
                continue;
            }
            ParameterSpec parameter = template.parameters().get(placeholder.parameter());
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

    private void checkTenantType(Template template, String postgresType) {
        if (tenantType.isPresent() && !tenantType.get().accepts(postgresType)) {
            throw new TemplateException(template.source(), firstUse(template.body(), Template.TENANT), ":" + Template.TENANT
                    + " is the token's claim, a " + tenantType.get().keyword() + ", but PostgreSQL reads it as " + postgresType
                    + "; cast it in the SQL, as :" + Template.TENANT + "::" + tenantType.get().pgType().cast());
        }
    }

    /**
     * The relations PostgreSQL's plan reads (views and layers expanded, every optional block kept, and
     * with them all dropped): a template that reads a tenant-scoped one must bind {@code :tenant} in every
     * run. Planned with its parameters unknown (GENERIC_PLAN), so that no value lets the planner prove a
     * branch empty and leave a table out of the plan.
     */
    private void checkTenant(Template template, List<RenderedQuery> statements) {
        if (template.bindsTenant()) {
            return;
        }
        Set<String> scoped = new java.util.TreeSet<>();
        for (RenderedQuery statement : statements) {
            JsonNode plan;
            try {
                plan = JSON.readTree(run(GENERIC_PLAN + statement.sql()).iterator().next().getValue(0).toString());
            } catch (PgException e) {
                throw refused(template, statement, e, GENERIC_PLAN.length());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("PostgreSQL's plan is not JSON", e);
            }
            relations(plan, scoped);
        }
        if (!scoped.isEmpty()) {
            throw new TemplateException(template.source(), firstLine(template.body()), "reads the tenant-scoped "
                    + (scoped.size() == 1 ? "table " : "tables ") + String.join(", ", scoped) + " but does not bind :" + Template.TENANT
                    + " (outside optional blocks): every run would read every tenant's rows");
        }
    }

    /** The tenant-scoped tables among the relations a plan's nodes scan, at any depth (subplans, CTEs, init plans). */
    private void relations(JsonNode node, Set<String> scoped) {
        if (node.has("Relation Name") && node.has("Schema")) {
            scope.table(node.get("Schema").asText() + "." + node.get("Relation Name").asText()).ifPresent(scoped::add);
        }
        node.forEach(child -> relations(child, scoped));
    }

    private static int firstLine(List<Fragment> body) {
        return body.stream().filter(Fragment.Sql.class::isInstance).map(Fragment.Sql.class::cast).findFirst().map(Fragment.Sql::line)
                .orElse(1);
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
                ? Optional.ofNullable(template.parameters().get(placeholder.parameter())).flatMap(ParameterSpec::defaultValue)
                        .orElse(null)
                : value));
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
