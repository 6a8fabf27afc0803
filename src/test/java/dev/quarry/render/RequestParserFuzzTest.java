package dev.quarry.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.quarry.template.ResultColumn;
import dev.quarry.template.Template;
import dev.quarry.template.TemplateLibrary;
import dev.quarry.template.TemplateParser;
import dev.quarry.util.ClasspathText;

/**
 * Arbitrary query strings against real templates: {@link RequestParser} either gives a request or
 * refuses it with a {@link RequestException} naming a parameter; anything else is a bug. Every
 * request it gives renders, and its SQL does not depend on the values the request sent: the same
 * request with every bound value replaced renders the same SQL, and every quoted identifier in it is
 * the template's own or one of its columns. So no text of a request becomes SQL, whatever it holds.
 *
 * <p>An input is {@code template?query}, as a client would send it; an unknown template name picks
 * one of the templates by its hash. Without {@code JAZZER_FUZZ} this runs the inputs in
 * {@code RequestParserFuzzTestInputs} (real requests and every finding so far) as a regression test.
 */
class RequestParserFuzzTest {

    /** A template with its output columns as the startup check describes them (GET /queries lists them). */
    private record Subject(Template template, List<ResultColumn> columns) {
    }

    private static final Map<String, Subject> SUBJECTS = subjects();
    private static final List<Subject> BY_INDEX = List.copyOf(SUBJECTS.values());
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"]|\"\")*)\"");

    @FuzzTest(maxDuration = "30s")
    void parsesOrNamesTheParameter(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int question = text.indexOf('?');
        String name = question < 0 ? "" : text.substring(0, question);
        Subject subject = SUBJECTS.getOrDefault(name, BY_INDEX.get(Math.floorMod(name.hashCode(), BY_INDEX.size())));
        Map<String, List<String>> query = decode(question < 0 ? text : text.substring(question + 1));
        QueryRequest request;
        try {
            request = RequestParser.parse(subject.template(), subject.columns(), query, OptionalInt.of(100), Templates.CURSORS,
                    Optional.empty());
        } catch (RequestException refused) {
            assertThat(query.containsKey(refused.parameter()) || subject.template().parameters().containsKey(refused.parameter()))
                    .as("%s names a parameter of the request or the template", refused.parameter()).isTrue();
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        QueryRequest replaced = withOtherValues(request);
        RowSource template = new RowSource.Body(subject.template());
        for (var render : List.<java.util.function.BiFunction<RowSource, QueryRequest, RenderedQuery>>of(QueryRenderer::render,
                QueryRenderer::renderPage, QueryRenderer::renderCount, QueryRenderer::renderFiltered)) {
            RenderedQuery rendered = render.apply(template, request);
            assertThat(render.apply(template, replaced).sql()).as("the SQL with other values").isEqualTo(rendered.sql());
            assertThat(placeholders(rendered.sql())).as("placeholders of %s", rendered.sql()).isEqualTo(rendered.values().size());
            identifiers(rendered.sql()).forEach(identifier -> assertThat(allowedIdentifiers(subject, request))
                    .as("identifiers of %s", rendered.sql()).contains(identifier));
        }
    }

    /** The query string as the HTTP layer hands it over: names to values, decoded where the encoding is valid. */
    private static Map<String, List<String>> decode(String queryString) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String pair : queryString.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            query.computeIfAbsent(percentDecoded(name), key -> new ArrayList<>()).add(percentDecoded(value));
        }
        return query;
    }

    private static String percentDecoded(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** The request with every bound value replaced by another of its type; nulls and isnull's choice shape the SQL, so they stay. */
    private static QueryRequest withOtherValues(QueryRequest request) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        request.arguments().forEach((name, value) -> arguments.put(name, other(value)));
        List<Filter> filters = request.filters().stream().map(filter -> filter.lookup() == Lookup.ISNULL ? filter
                : new Filter(filter.column(), filter.lookup(), filter.type(),
                        filter.values().stream().map(RequestParserFuzzTest::other).toList()))
                .toList();
        Optional<List<Object>> after = request.after().map(values -> values.stream().map(RequestParserFuzzTest::other).toList());
        return new QueryRequest(arguments, request.grouping(), request.columns(), filters, request.ordering(), request.keyed(),
                after, request.limit().isPresent() ? OptionalInt.of(request.limit().getAsInt() == 1 ? 2 : 1) : OptionalInt.empty(),
                request.offset().isPresent() ? OptionalInt.of(request.offset().getAsInt() == 0 ? 1 : 0) : OptionalInt.empty(),
                request.count(), request.explain());
    }

    private static Object other(Object value) {
        if (value == null) {
            return null;
        }
        if (value.getClass().isArray()) {
            return Array.newInstance(value.getClass().getComponentType(), Array.getLength(value) == 0 ? 1 : 0);
        }
        if (value instanceof String text) {
            return text.equals("x") ? "y" : "x";
        }
        if (value instanceof Integer number) {
            return number == 0 ? 1 : 0;
        }
        if (value instanceof Long number) {
            return number == 0 ? 1L : 0L;
        }
        if (value instanceof BigDecimal number) {
            return number.signum() == 0 ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (value instanceof Float number) {
            return number == 0 ? 1f : 0f;
        }
        if (value instanceof Double number) {
            return number == 0 ? 1d : 0d;
        }
        if (value instanceof Boolean flag) {
            return !flag;
        }
        if (value instanceof LocalDate date) {
            return date.plusDays(1);
        }
        if (value instanceof LocalDateTime timestamp) {
            return timestamp.plusSeconds(1);
        }
        throw new AssertionError("a bound value of an unexpected class: " + value.getClass());
    }

    private static int placeholders(String sql) {
        Matcher matcher = Pattern.compile("\\$(\\d+)").matcher(sql);
        int highest = 0;
        while (matcher.find()) {
            highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
        }
        return highest;
    }

    private static List<String> identifiers(String sql) {
        List<String> identifiers = new ArrayList<>();
        Matcher matcher = QUOTED.matcher(sql);
        while (matcher.find()) {
            identifiers.add(matcher.group(1).replace("\"\"", "\""));
        }
        return identifiers;
    }

    /** The template's own quoted identifiers (such as COLLATE "C"), its columns, dimensions and measures. */
    private static Set<String> allowedIdentifiers(Subject subject, QueryRequest request) {
        Set<String> allowed = new LinkedHashSet<>(identifiers(QueryRenderer.renderEverything(subject.template()).sql()));
        subject.columns().forEach(column -> allowed.add(column.name()));
        request.columns().forEach(column -> allowed.add(column.name()));
        allowed.addAll(subject.template().header().dimensions().keySet());
        allowed.addAll(subject.template().header().measures().keySet());
        return allowed;
    }

    private static Map<String, Subject> subjects() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("tpch/q03", "queries/tpch/q03.sql");
        files.put("analysis/revenue-cube", "queries/analysis/revenue-cube.sql");
        files.put("analysis/sales", "queries/analysis/sales.sql"); // the cube's layer
        files.put("test/typed-values", "templates/test/typed-values.sql");
        files.put("test/float-values", "templates/test/float-values.sql");
        files.put("test/echo", "templates/test/echo.sql");
        files.put("test/paging", "templates/test/paging.sql");
        Map<String, Template> parsed = new LinkedHashMap<>();
        files.forEach((name, resource) -> parsed.put(name, TemplateParser.parse(name, resource, ClasspathText.read(resource))));
        Map<String, Template> resolved = TemplateLibrary.resolve(parsed);
        Map<String, Subject> subjects = new LinkedHashMap<>();
        subjects.put("tpch/q03", new Subject(resolved.get("tpch/q03"), Templates.columns("l_orderkey", "bigint", "revenue", "numeric",
                "o_orderdate", "date", "o_shippriority", "integer")));
        subjects.put("analysis/revenue-cube", new Subject(resolved.get("analysis/revenue-cube"), Templates.columns(
                "region", "character varying", "nation", "character varying", "segment", "character varying", "year", "integer",
                "quarter", "integer", "month", "integer", "category", "character varying", "ship_mode", "character varying",
                "revenue", "numeric", "orders", "bigint", "customers", "bigint", "quantity", "numeric", "avg_discount", "numeric")));
        subjects.put("test/typed-values", new Subject(resolved.get("test/typed-values"), Templates.columns("id", "integer",
                "n", "integer", "big", "bigint", "amount", "numeric", "ratio", "double precision", "d", "date",
                "ts", "timestamp without time zone", "flag", "boolean", "label", "text")));
        subjects.put("test/float-values", new Subject(resolved.get("test/float-values"), Templates.columns("id", "integer",
                "r", "real", "x", "double precision")));
        subjects.put("test/echo", new Subject(resolved.get("test/echo"), Templates.columns("n_nationkey", "integer",
                "n_name", "character varying", "r_name", "character varying", "echoed", "text", "characters", "integer",
                "matched", "boolean")));
        subjects.put("test/paging", new Subject(resolved.get("test/paging"), Templates.columns("id", "integer", "a", "integer",
                "b", "text")));
        return subjects;
    }
}
