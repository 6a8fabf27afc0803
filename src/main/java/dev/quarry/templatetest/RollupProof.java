package dev.quarry.templatetest;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;

import dev.quarry.encode.CsvProfile;
import dev.quarry.encode.RowEncoder;
import dev.quarry.execute.CheckedTemplate;
import dev.quarry.render.CursorCodec;
import dev.quarry.render.QueryRenderer;
import dev.quarry.render.QueryRequest;
import dev.quarry.render.RenderedQuery;
import dev.quarry.render.RequestParser;
import dev.quarry.render.RowSource;
import dev.quarry.rollup.RollupCandidate;
import dev.quarry.rollup.RollupDecision;
import dev.quarry.rollup.RollupMatcher;
import dev.quarry.template.MeasureParts;
import dev.quarry.template.ParameterSpec;
import dev.quarry.template.PgType;
import dev.quarry.template.RollupDeclaration;
import dev.quarry.template.Template;
import dev.quarry.template.TimeGrain;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.mutiny.sqlclient.desc.ColumnDescriptor;

/**
 * Proves a rollup: random requests it should answer (groupings, measures, time ranges on its grain,
 * filters, sorts, offset and keyset pages) run from its table and from the template, and their rows
 * compared as the service would send them (column types, JSON lines, CSV) byte for byte.
 */
public final class RollupProof {

    private static final Duration STATEMENT_WAIT = Duration.ofMinutes(2);

    private final SqlConnection connection;
    private final CursorCodec cursors;

    /** @param connection a connection to the database whose rollup tables are proven */
    public RollupProof(SqlConnection connection, CursorCodec cursors) {
        this.connection = connection;
        this.cursors = cursors;
    }

    /**
     * @param compared    requests run from both and compared
     * @param skipped     requests drawn that the rollup did not match, with the matcher's reason
     * @param differences each request whose answers differ, with how
     */
    public record Result(String rollup, int compared, List<String> skipped, List<String> differences) {
    }

    public Result prove(CheckedTemplate checked, RollupDeclaration rollup, int requests, long seed) {
        Random random = new Random(seed);
        Template template = checked.template();
        RollupCandidate candidate = new RollupCandidate(rollup, checked.rollupParts().getOrDefault(rollup.name(), Map.of()),
                Optional.of(Instant.EPOCH));
        int compared = 0;
        List<String> skipped = new ArrayList<>();
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            Map<String, List<String>> query = draw(template, rollup, random);
            QueryRequest request = RequestParser.parse(template, checked.columns(), query, OptionalInt.empty(), cursors,
                    Optional.empty());
            RollupDecision decision = RollupMatcher.match(template, request, List.of(candidate), false);
            if (decision.rollup().isEmpty()) {
                skipped.add(show(query) + ": " + decision.rejections().get(0).reason());
                continue;
            }
            if (random.nextBoolean()) {
                request = filtered(checked, template, query, request, random);
            }
            compared++;
            compare(decision.source(), request, show(query)).ifPresent(differences::add);
            Optional<QueryRequest> next = nextPage(template, request);
            if (next.isPresent()) {
                compared++;
                compare(decision.source(), next.get(), show(query) + " (the keyset page after)").ifPresent(differences::add);
            }
        }
        return new Result(rollup.label(), compared, List.copyOf(skipped), List.copyOf(differences));
    }

    /** A request the rollup should answer: some of its dimensions and measures, its where's parameters drawn on its grain. */
    private static Map<String, List<String>> draw(Template template, RollupDeclaration rollup, Random random) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        boolean exactGrain = rollup.measures().stream()
                .anyMatch(measure -> !MeasureParts.of(template.header().measures().get(measure)).additive()) && random.nextBoolean();
        List<String> dimensions = new ArrayList<>(rollup.dimensions());
        Collections.shuffle(dimensions, random);
        List<String> group = new ArrayList<>(
                exactGrain ? dimensions : dimensions.subList(0, random.nextInt(Math.min(3, dimensions.size()) + 1)));
        List<String> measures = new ArrayList<>(rollup.measures());
        Collections.shuffle(measures, random);
        measures = measures.subList(0, 1 + random.nextInt(measures.size()));
        if (!group.isEmpty()) {
            // a window's partition and order are grouped by, else the request is refused
            for (String measure : measures) {
                MeasureParts.windowNames(template.header().measures().get(measure)).stream()
                        .filter(name -> rollup.dimensions().contains(name) && !group.contains(name)).forEach(group::add);
            }
            query.put("_group", List.of(String.join(",", group)));
        }
        query.put("_measures", List.of(String.join(",", measures)));
        List<String> mapped = rollup.whereParameters();
        List<LocalDate> days = new ArrayList<>();
        for (String name : mapped) {
            ParameterSpec parameter = template.parameters().get(name);
            if (parameter.type().pgType() == PgType.DATE && rollup.time().isPresent()) {
                days.add(onGrain(parameter, rollup.time().get().grain(), random));
            } else if (!parameter.allowed().isEmpty() && (parameter.required() || random.nextBoolean())) {
                query.put(name, List.of(String.valueOf(parameter.allowed().get(random.nextInt(parameter.allowed().size())))));
            } else if (parameter.type().pgType() == PgType.INTEGER && parameter.min().isPresent() && parameter.max().isPresent()) {
                int min = (Integer) (Object) parameter.min().get();
                int max = (Integer) (Object) parameter.max().get();
                query.put(name, List.of(Integer.toString(min + random.nextInt(max - min + 1))));
            }
        }
        // dates in the order the parameters are declared: since before until
        Collections.sort(days);
        int day = 0;
        for (String name : mapped) {
            if (template.parameters().get(name).type().pgType() == PgType.DATE && day < days.size()) {
                query.put(name, List.of(days.get(day++).toString()));
            }
        }
        List<String> columns = new ArrayList<>(group);
        columns.addAll(Arrays.asList(query.get("_measures").get(0).split(",")));
        if (random.nextBoolean()) {
            String column = columns.get(random.nextInt(columns.size()));
            query.put("_sort", List.of((random.nextBoolean() ? "-" : "") + column));
        }
        query.put("_limit", List.of(Integer.toString(1 + random.nextInt(30))));
        if (random.nextInt(4) == 0) {
            query.put("_offset", List.of(Integer.toString(random.nextInt(10))));
        }
        return query;
    }

    private static LocalDate onGrain(ParameterSpec parameter, TimeGrain grain, Random random) {
        LocalDate min = (LocalDate) (Object) parameter.min().orElse(castDate(LocalDate.of(1992, 1, 1)));
        LocalDate max = (LocalDate) (Object) parameter.max().orElse(castDate(LocalDate.of(1999, 1, 1)));
        long span = Math.max(1, max.toEpochDay() - min.toEpochDay());
        LocalDate day = grain.truncate(min.plusDays(random.nextLong(span)));
        return day.isBefore(min) ? grain.next(day) : day;
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> castDate(LocalDate day) {
        return (Comparable<Object>) (Object) day;
    }

    /** The request with a filter on one of its columns, at a value of the template's own answer. */
    private QueryRequest filtered(CheckedTemplate checked, Template template, Map<String, List<String>> query, QueryRequest request,
            Random random) {
        RowSet<Row> rows = run(QueryRenderer.render(template, request));
        if (rows.size() == 0) {
            return request;
        }
        List<Row> list = new ArrayList<>();
        rows.forEach(list::add);
        Row row = list.get(random.nextInt(list.size()));
        int column = random.nextInt(request.columns().size());
        Object value = row.getValue(column);
        if (value == null || request.columns().get(column).valueType().isEmpty()) {
            return request;
        }
        String[] lookups = { "", "__gte", "__lt", "__ne" };
        Map<String, List<String>> withFilter = new LinkedHashMap<>(query);
        withFilter.put(request.columns().get(column).name() + lookups[random.nextInt(lookups.length)], List.of(value.toString().strip()));
        try {
            return RequestParser.parse(template, checked.columns(), withFilter, OptionalInt.empty(), cursors, Optional.empty());
        } catch (RuntimeException e) {
            return request;
        }
    }

    /** The keyset page after the request's last row, from the template's answer, if the request is keyed and has one. */
    private Optional<QueryRequest> nextPage(Template template, QueryRequest request) {
        if (!request.keyed() || request.limit().isEmpty()) {
            return Optional.empty();
        }
        RowSet<Row> rows = run(QueryRenderer.render(template, request));
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row last = null;
        for (Row row : rows) {
            last = row;
        }
        List<Object> after = new ArrayList<>();
        for (var key : request.ordering()) {
            after.add(last.getValue(key.column()));
        }
        return Optional.of(new QueryRequest(request.arguments(), request.grouping(), request.columns(), request.filters(),
                request.ordering(), true, Optional.of(after), request.limit(), OptionalInt.empty(), request.count(), false));
    }

    /** How the two answers differ, if they do. */
    private Optional<String> compare(RowSource rollup, QueryRequest request, String shown) {
        RowSet<Row> expected = run(QueryRenderer.render(new RowSource.Body(rollup.template()), request));
        RowSet<Row> actual = run(QueryRenderer.render(rollup, request));
        List<String> expectedTypes = expected.columnDescriptors().stream().map(ColumnDescriptor::typeName).toList();
        List<String> actualTypes = actual.columnDescriptors().stream().map(ColumnDescriptor::typeName).toList();
        if (!expectedTypes.equals(actualTypes)) {
            return Optional.of(shown + ": column types " + actualTypes + ", the template's " + expectedTypes);
        }
        RowEncoder encoder = new RowEncoder(request.columns());
        String expectedLines = new String(encoder.jsonLines(expected), java.nio.charset.StandardCharsets.UTF_8);
        String actualLines = new String(encoder.jsonLines(actual), java.nio.charset.StandardCharsets.UTF_8);
        if (!expectedLines.equals(actualLines)) {
            return Optional.of(shown + ": JSON rows differ: " + firstDifference(expectedLines, actualLines));
        }
        if (!Arrays.equals(encoder.csv(expected, CsvProfile.EXACT), encoder.csv(actual, CsvProfile.EXACT))) {
            return Optional.of(shown + ": CSV rows differ");
        }
        return Optional.empty();
    }

    private static String firstDifference(String expected, String actual) {
        String[] want = expected.split("\n", -1);
        String[] got = actual.split("\n", -1);
        for (int i = 0; i < Math.max(want.length, got.length); i++) {
            String a = i < want.length ? want[i] : "(none)";
            String b = i < got.length ? got[i] : "(none)";
            if (!a.equals(b)) {
                return "row " + (i + 1) + " is " + b + ", the template's " + a;
            }
        }
        return "";
    }

    private RowSet<Row> run(RenderedQuery query) {
        return connection.preparedQuery(query.sql()).execute(Tuple.from(query.values())).await().atMost(STATEMENT_WAIT);
    }

    private static String show(Map<String, List<String>> query) {
        StringBuilder shown = new StringBuilder();
        query.forEach((name, values) -> values.forEach(value -> shown.append(shown.length() == 0 ? "?" : "&").append(name).append('=')
                .append(value)));
        return shown.toString();
    }
}
