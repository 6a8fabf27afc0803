package dev.quarry.http;

import java.math.BigDecimal;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.inject.spi.CDI;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import dev.quarry.encode.MediaTypes;
import dev.quarry.execute.Catalog;
import dev.quarry.execute.CheckedTemplate;
import dev.quarry.render.RequestParser;
import dev.quarry.template.ParamType;
import dev.quarry.template.ParameterSpec;
import dev.quarry.template.PgType;
import dev.quarry.template.ResultColumn;
import dev.quarry.template.Template;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Describes every template as an operation of its own at {@code /queries/{name}}: its parameters
 * with types, defaults and enums, its sortable columns, its result row from the startup describe,
 * its representations and its problems. Built per request, from the catalog as it is now.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_PER_REQUEST)
public class TemplateOperations implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Catalog catalog = CDI.current().select(Catalog.class).get();
        QueryAccess access = CDI.current().select(QueryAccess.class).get();
        boolean authentication = CDI.current().select(AuthenticationSettings.class).get().enabled();
        if (openAPI.getComponents() == null) {
            openAPI.components(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("Problem", problemSchema());
        if (openAPI.getPaths() == null) {
            openAPI.paths(OASFactory.createPaths());
        }
        if (authentication) {
            openAPI.getComponents().addSecurityScheme("bearer", OASFactory.createSecurityScheme()
                    .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                    .description("A JWT from the configured issuer; a template's roles are matched against its groups claim"));
            openAPI.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("bearer"));
        }
        // the same templates as the catalog: with authentication on, those the caller may run
        for (CheckedTemplate checked : catalog.all()) {
            if (checked.broken().isEmpty() && access.mayRun(checked.template())) {
                openAPI.getPaths().addPathItem("/queries/" + checked.name(),
                        OASFactory.createPathItem().GET(operation(checked, authentication)));
            }
        }
    }

    private static Operation operation(CheckedTemplate checked, boolean authentication) {
        Template template = checked.template();
        String roles = template.header().roles().isEmpty() ? ""
                : "\n\nNeeds one of the roles " + String.join(", ", template.header().roles())
                        + " in the token's groups claim.";
        Operation operation = OASFactory.createOperation()
                .operationId(template.name().replaceAll("[^A-Za-z0-9]", "_"))
                .summary(template.header().summary())
                .description(template.header().description() + (authentication ? roles : ""))
                .addTag(template.name().contains("/") ? template.name().substring(0, template.name().indexOf('/')) : "queries");
        template.parameters().values().forEach(parameter -> operation.addParameter(parameter(parameter)));
        List<String> sortable = template.grouped() ? groupColumns(template) : template.header().sortable();
        if (!sortable.isEmpty()) {
            List<Object> keys = new ArrayList<>();
            sortable.forEach(column -> {
                keys.add(column);
                keys.add("-" + column);
            });
            operation.addParameter(query("_sort", "Columns to sort on, comma-separated; '-' sorts descending",
                    OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                            .items(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).enumeration(keys))));
        }
        operation.addParameter(query("_limit", "The most rows to return: JSON pages default to 100; streams are unlimited",
                OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)).minimum(BigDecimal.ONE)
                        .maximum(BigDecimal.valueOf(RequestParser.MAX_LIMIT))));
        if (template.grouped()) {
            operation.addParameter(query("_group", "Dimensions to group by, comma-separated", names(template.header().dimensions())));
            operation.addParameter(query("_measures", "Measures to compute, comma-separated (all by default)",
                    names(template.header().measures())));
        }
        Schema row = rowSchema(checked.columns());
        Schema page = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .addProperty("query", string())
                .addProperty("columns", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY)))
                .addProperty("rows", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY)).items(row))
                .addProperty("page", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT)));
        Content ok = OASFactory.createContent()
                .addMediaType("application/json", OASFactory.createMediaType().schema(page))
                .addMediaType("text/event-stream", OASFactory.createMediaType().schema(string()
                        .description("Events: meta (columns), row (one per row, id = ordinal), end (rows, elapsedMs), error (a problem)")))
                .addMediaType(MediaTypes.NDJSON, OASFactory.createMediaType().schema(row))
                .addMediaType(MediaTypes.CSV, OASFactory.createMediaType().schema(string()
                        .description(
                                "COPY's CSV with a header line; with ;profile=spreadsheet, text cells that start a formula neutralised")))
                .addMediaType(MediaTypes.ARROW, OASFactory.createMediaType().schema(OASFactory.createSchema()
                        .type(List.of(Schema.SchemaType.STRING)).format("binary")
                        .description("An Arrow IPC stream: the schema, a record batch per batch of rows, the end-of-stream marker")));
        APIResponses responses = OASFactory.createAPIResponses()
                .addAPIResponse("200", OASFactory.createAPIResponse().description("The rows").content(ok));
        Map<String, String> problems = new java.util.LinkedHashMap<>(Map.of("400", "A parameter is missing, malformed or not allowed",
                "404", "No such query", "503", "The database is unavailable", "504", "The query ran past its statement timeout"));
        if (authentication) {
            problems.put("401", "No bearer token, or one that does not verify");
            problems.put("403", "The token's groups hold none of the template's roles");
        }
        problems.forEach((status, description) -> responses.addAPIResponse(status, OASFactory.createAPIResponse()
                .description(description)
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"))))));
        return operation.responses(responses);
    }

    private static Parameter parameter(ParameterSpec spec) {
        Schema scalar = scalar(spec.type());
        if (!spec.allowed().isEmpty()) {
            scalar.enumeration(spec.allowed().stream().map(TemplateOperations::json).toList());
        }
        spec.min().ifPresent(min -> bound(scalar, min, true));
        spec.max().ifPresent(max -> bound(scalar, max, false));
        Schema schema = spec.list() ? OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY)).items(scalar) : scalar;
        spec.defaultValue().ifPresent(value -> schema.defaultValue(json(value)));
        Parameter parameter = query(spec.name(), spec.description(), schema).required(spec.required());
        if (spec.list()) {
            parameter.style(Parameter.Style.FORM).explode(false);
        }
        return parameter;
    }

    private static void bound(Schema schema, Object value, boolean minimum) {
        if (value instanceof Number number) {
            BigDecimal bound = new BigDecimal(number.toString());
            if (minimum) {
                schema.minimum(bound);
            } else {
                schema.maximum(bound);
            }
        } else {
            String text = schema.getDescription() == null ? "" : schema.getDescription() + " ";
            schema.description(text + (minimum ? "from " : "to ") + value);
        }
    }

    private static Object json(Object value) {
        if (value instanceof Object[] array) {
            return java.util.Arrays.stream(array).map(TemplateOperations::json).toList();
        }
        return value instanceof Temporal ? value.toString() : value;
    }

    private static Schema scalar(ParamType type) {
        return schema(type.pgType());
    }

    /** The JSON shape of a row, from PostgreSQL's types of the output columns. */
    private static Schema rowSchema(List<ResultColumn> columns) {
        Schema row = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT));
        for (ResultColumn column : columns) {
            Schema schema = column.pgType().map(TemplateOperations::schema).orElseGet(TemplateOperations::string);
            row.addProperty(column.name(),
                    schema.type(List.of(schema.getType().get(0), Schema.SchemaType.NULL)).description(column.type()));
        }
        return row;
    }

    private static Schema schema(PgType type) {
        Schema schema = OASFactory.createSchema().type(List.of(switch (type.shape()) {
            case STRING -> Schema.SchemaType.STRING;
            case INTEGER -> Schema.SchemaType.INTEGER;
            case NUMBER -> Schema.SchemaType.NUMBER;
            case BOOLEAN -> Schema.SchemaType.BOOLEAN;
        }));
        type.format().ifPresent(schema::format);
        return schema;
    }

    private static Schema problemSchema() {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT)).description("RFC 9457 problem details")
                .addProperty("type", string()).addProperty("title", string())
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                .addProperty("detail", string()).addProperty("instance", string())
                .addProperty("parameter", string().description("the request parameter the problem is about"))
                .addProperty("allowed", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY)).items(string()));
    }

    private static List<String> groupColumns(Template template) {
        List<String> columns = new ArrayList<>(template.header().dimensions().keySet());
        columns.addAll(template.header().measures().keySet());
        return columns;
    }

    private static Schema names(Map<String, String> declared) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                .items(string().enumeration(new ArrayList<>(declared.keySet())));
    }

    private static Schema string() {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING));
    }

    private static Parameter query(String name, String description, Schema schema) {
        return OASFactory.createParameter().name(name).in(Parameter.In.QUERY).description(description).schema(schema);
    }
}
