package dev.quarry.render;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import dev.quarry.template.ResultColumn;
import dev.quarry.template.Template;
import dev.quarry.template.TemplateText;

/** Templates and requests for the render tests. */
final class Templates {

    private Templates() {
    }

    static String file(String... lines) {
        return TemplateText.file(lines);
    }

    /** The template {@code t} of {@code t.sql}, made of {@code lines}, resolved on its own. */
    static Template template(String... lines) {
        return library("t", file(lines)).get("t");
    }

    static Map<String, Template> library(String... namesAndTexts) {
        return TemplateText.library(namesAndTexts);
    }

    /** A query string as a map: name, value, name, value... a name may come back for more values. */
    static Map<String, List<String>> query(String... namesAndValues) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            query.computeIfAbsent(namesAndValues[i], name -> new ArrayList<>()).add(namesAndValues[i + 1]);
        }
        return query;
    }

    static QueryRequest request(Template template, String... namesAndValues) {
        return parse(template, query(namesAndValues), OptionalInt.empty());
    }

    /** The caller's tenant for a template that uses {@code :tenant}. */
    static final Tenant TENANT = new Tenant(7);

    /** A cursor codec with a fixed key, as a configured service would have. */
    static final CursorCodec CURSORS = new CursorCodec("test-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    /**
     * Parses a request as the service does, with the template's declared column names standing in for
     * the columns PostgreSQL would describe (as text: these tests render, they do not run).
     */
    static QueryRequest parse(Template template, Map<String, List<String>> query, OptionalInt defaultLimit) {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        names.addAll(template.header().sortable());
        names.addAll(template.header().key());
        names.addAll(template.header().dimensions().keySet());
        names.addAll(template.header().measures().keySet());
        List<ResultColumn> columns = names.stream().map(name -> new ResultColumn(name, "text")).toList();
        return RequestParser.parse(template, columns, query, template.tenant() ? Optional.of(TENANT) : Optional.empty(), defaultLimit,
                CURSORS, Optional.empty());
    }

    /** Output columns as PostgreSQL would describe them: name, type, name, type... */
    static List<ResultColumn> columns(String... namesAndTypes) {
        List<ResultColumn> columns = new ArrayList<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            columns.add(new ResultColumn(namesAndTypes[i], namesAndTypes[i + 1]));
        }
        return columns;
    }

    /** Parses a request against described {@code columns}, as the service does, with an SSE client's Last-Event-ID. */
    static QueryRequest parse(Template template, List<ResultColumn> columns, Map<String, List<String>> query,
            Optional<String> lastEventId) {
        return RequestParser.parse(template, columns, query, OptionalInt.empty(), CURSORS, lastEventId);
    }

    /** Parses a request given as name, value, name, value... against described {@code columns}. */
    static QueryRequest request(Template template, List<ResultColumn> columns, String... namesAndValues) {
        return parse(template, columns, query(namesAndValues), Optional.empty());
    }

    /** A cursor for {@code values} that this request's template and ordering accept. */
    static String cursor(Template template, QueryRequest request, String... values) {
        return CURSORS.encode(template.name(), request.orderingSignature(), Arrays.asList(values));
    }

    static RenderedQuery render(Template template, String... namesAndValues) {
        return QueryRenderer.render(template, request(template, namesAndValues));
    }

    /** Bound values with arrays shown as lists, so that they compare by content. */
    static List<Object> values(RenderedQuery query) {
        return query.values().stream().map(value -> value instanceof Object[] array ? (Object) Arrays.asList(array) : value).toList();
    }
}
