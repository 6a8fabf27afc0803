package dev.quarry.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.quarry.execute.Catalog;
import dev.quarry.execute.CheckedTemplate;
import dev.quarry.execute.TenancySettings;
import dev.quarry.render.Lookup;
import dev.quarry.render.Tenant;
import dev.quarry.serve.Caller;
import dev.quarry.serve.RequestBudgets;
import dev.quarry.template.ParameterSpec;
import dev.quarry.template.PgType;
import dev.quarry.template.ResultColumn;

/** {@code GET /queries}: what can be asked, and how. */
@Path("/queries")
public class CatalogResource {

    /**
     * One template as the catalog shows it.
     *
     * @param group  the dimensions a request without {@code _group} groups by ({@code @group})
     * @param tenant for a template that uses {@code :tenant}: whose rows it answers this caller
     */
    public record Entry(String name, String summary, String description, List<Parameter> parameters,
            List<Column> columns, List<String> sortable, List<String> key, List<String> dimensions, List<String> group,
            List<String> measures, List<String> roles, Optional<String> broken, Map<String, Object> budget,
            Optional<Whose> tenant) {
    }

    /**
     * Whose rows a tenant's template answers the caller: the claim that names tenants (null with tenancy
     * off) and the caller's tenant in it (null when the caller has none, and the template refuses it).
     */
    public record Whose(String claim, Object value) {
    }

    /**
     * One output column: its type as PostgreSQL writes it; the JSON shape ({@code string},
     * {@code integer}, {@code number}, {@code boolean}) and format ({@code date}, {@code date-time},
     * {@code int64}...) of its values, both null where Quarry's table of types says none; and the
     * lookups a filter on it takes, none for a column that cannot be filtered. A client reads these
     * rather than keeping its own table of PostgreSQL's types.
     */
    public record Column(String name, String type, String shape, String format, List<String> lookups) {

        static Column of(ResultColumn column) {
            Optional<PgType> pgType = column.pgType();
            return new Column(column.name(), column.type(), pgType.map(CatalogResource::shape).orElse(null),
                    pgType.flatMap(PgType::format).orElse(null),
                    column.valueType().map(Lookup::applicableTo).orElse(List.of()).stream().map(Lookup::suffix).toList());
        }
    }

    /** One parameter: its type as the header writes it, the JSON shape and format of its values, and what it accepts. */
    public record Parameter(String name, String type, String shape, String format, boolean required, Object defaultValue,
            List<Object> allowed, Object min, Object max, String description) {
    }

    private final Catalog catalog;
    private final QueryAccess access;
    private final RequestBudgets budgets;
    private final Callers callers;
    private final TenancySettings tenancy;

    CatalogResource(Catalog catalog, QueryAccess access, RequestBudgets budgets, Callers callers, TenancySettings tenancy) {
        this.catalog = catalog;
        this.access = access;
        this.budgets = budgets;
        this.callers = callers;
        this.tenancy = tenancy;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every query template the caller may run, with its parameters, result columns and the roles it needs")
    public List<Entry> list() {
        Caller caller = callers.current();
        Optional<Whose> whose = Optional.of(new Whose(tenancy.claim().orElse(null), caller.tenant().map(Tenant::value).orElse(null)));
        return catalog.all().stream().filter(checked -> access.mayRun(checked.template()))
                .map(checked -> entry(checked, caller, checked.template().tenant() ? whose : Optional.empty())).toList();
    }

    /** @param tenant for a template that uses {@code :tenant}: whose rows it answers this caller */
    private Entry entry(CheckedTemplate checked, Caller caller, Optional<Whose> tenant) {
        var template = checked.template();
        return new Entry(template.name(), template.header().summary(), template.header().description(),
                template.parameters().values().stream().map(CatalogResource::parameter).toList(),
                checked.columns().stream().map(Column::of).toList(), template.header().sortable(), template.header().key(),
                List.copyOf(template.header().dimensions().keySet()), template.header().group(),
                List.copyOf(template.header().measures().keySet()), template.header().roles(), checked.broken(),
                budgets.budget(template, caller).bounds().bounds(), tenant);
    }

    private static Parameter parameter(ParameterSpec spec) {
        PgType type = spec.type().pgType();
        return new Parameter(spec.name(), spec.typeName(), shape(type), type.format().orElse(null), spec.required(),
                spec.defaultValue().orElse(null), spec.allowed(), spec.min().orElse(null), spec.max().orElse(null),
                spec.description());
    }

    private static String shape(PgType type) {
        return type.shape().name().toLowerCase(Locale.ROOT);
    }
}
