package dev.quarry.blackbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Keyset pagination with {@code _after}: following {@code page.next} from the first page to the last
 * yields every row exactly once, in the order of one unpaged request, and that order is the one
 * Java computes (ASC NULLS LAST, DESC NULLS FIRST, then the key ascending).
 *
 * <p>The data sets are random: test/paging makes {@code rows} rows from a {@code seed}, with few
 * distinct values (ties) and a share of nulls. The cases are drawn with a seeded {@link Random}
 * inside a JUnit parameterized test, not with jqwik: jqwik's engine does not run {@code @Property}
 * methods of a {@code @QuarkusTest} class (it reports nothing and runs nothing), so a property there
 * would pass without ever being tried. Each case's name is all it takes to reproduce it.
 */
@QuarkusTest
class KeysetPagingTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    private static final String PAGING = "/queries/test/paging";

    /** A row of test/paging. */
    record Row(int id, Integer a, String b) {
    }

    /** A filter both as query parameters and as the rows it keeps. */
    record Filter(String query, Predicate<Row> keeps) {
        @Override
        public String toString() {
            return query.isEmpty() ? "no filter" : query;
        }
    }

    private static final List<String> SORTS = List.of("", "id", "-id", "a", "-a", "b", "-b", "a,b", "a,-b", "-a,b", "-a,-b",
            "b,a", "-b,-a", "a,-id", "-b,id");

    private static final List<Filter> FILTERS = List.of(
            new Filter("", row -> true),
            new Filter("a__gte=2", row -> row.a() != null && row.a() >= 2),
            new Filter("a__isnull=true", row -> row.a() == null),
            new Filter("b__isnull=false", row -> row.b() != null),
            new Filter("b__in=b0,b2", row -> "b0".equals(row.b()) || "b2".equals(row.b())),
            new Filter("a__ne=1&b__ne=b1", row -> !Integer.valueOf(1).equals(row.a()) && !"b1".equals(row.b())));

    /** One random case: the data set's arguments, a page size, an ordering and a filter. */
    record Case(int seed, int rows, int distinct, int nulls, int limit, String sort, Filter filter) {

        String dataSet() {
            return "seed=" + seed + "&rows=" + rows + "&distinct=" + distinct + "&nulls=" + nulls;
        }

        String query() {
            return dataSet() + (sort.isEmpty() ? "" : "&_sort=" + sort) + (filter.query().isEmpty() ? "" : "&" + filter.query());
        }

        @Override
        public String toString() {
            return query() + " by " + limit;
        }
    }

    static Stream<Case> cases() {
        Random random = new Random(5_2024_11_23L);
        List<Case> cases = new ArrayList<>();
        // the edges first: no rows, one row, all null, all tied, a page as long as the result
        cases.add(new Case(1, 0, 3, 20, 5, "a", FILTERS.get(0)));
        cases.add(new Case(2, 1, 3, 20, 1, "-a", FILTERS.get(0)));
        cases.add(new Case(3, 30, 3, 100, 4, "a,-b", FILTERS.get(0)));
        cases.add(new Case(4, 30, 1, 0, 7, "-b,-a", FILTERS.get(0)));
        cases.add(new Case(5, 40, 4, 30, 40, "b", FILTERS.get(0)));
        cases.add(new Case(6, 40, 4, 30, 39, "-a", FILTERS.get(0)));
        while (cases.size() < 60) {
            int rows = random.nextInt(4) == 0 ? random.nextInt(10) : 10 + random.nextInt(250);
            cases.add(new Case(random.nextInt(1_000_000), rows, 1 + random.nextInt(8), List.of(0, 10, 30, 60).get(random.nextInt(4)),
                    1 + random.nextInt(50), SORTS.get(random.nextInt(SORTS.size())),
                    random.nextInt(3) == 0 ? FILTERS.get(1 + random.nextInt(FILTERS.size() - 1)) : FILTERS.get(0)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void followingNextYieldsEveryRowOnceInOrder(Case c) throws Exception {
        List<Row> all = rows(page(PAGING + "?" + c.dataSet() + "&_limit=10000"));
        assertThat(all).extracting(Row::id).containsExactlyElementsOf(IntStream.rangeClosed(1, c.rows()).boxed().toList());
        if (c.rows() >= 100) {
            // the data set is what the case says: few distinct values, and nulls when asked for
            assertThat(all.stream().map(Row::a).filter(Objects::nonNull).distinct().count()).isLessThanOrEqualTo(c.distinct());
            assertThat(all.stream().map(Row::b).filter(Objects::nonNull).distinct().count()).isLessThanOrEqualTo(c.distinct());
            long nulls = all.stream().filter(row -> row.a() == null).count();
            assertThat(nulls).as("nulls in a").isEqualTo(c.nulls() == 0 ? 0 : Math.max(1, nulls));
        }

        JsonNode unpaged = page(PAGING + "?" + c.query() + "&_limit=10000");
        assertThat(unpaged.get("page").get("next").isNull()).isTrue();
        List<Row> expected = all.stream().filter(c.filter().keeps()).sorted(ordering(c.sort())).toList();
        assertThat(rows(unpaged)).as("the unpaged result in Java's order").isEqualTo(expected);

        List<Row> paged = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = page(PAGING + "?" + c.query() + "&_limit=" + c.limit()
                    + (next == null ? "" : "&_after=" + next));
            List<Row> rows = rows(page);
            next = page.get("page").get("next").isNull() ? null : page.get("page").get("next").asText();
            pages++;
            assertThat(pages).as("pages: a cursor that does not advance would loop").isLessThanOrEqualTo(expected.size() / c.limit() + 1);
            if (next != null) {
                assertThat(rows).as("a page with a next page is full").hasSize(c.limit());
            } else {
                assertThat(rows).hasSizeLessThanOrEqualTo(c.limit());
            }
            paged.addAll(rows);
        } while (next != null);
        assertThat(paged).as("all pages together").isEqualTo(expected);
        assertThat(pages).isEqualTo(Math.max(1, (expected.size() + c.limit() - 1) / c.limit()));
    }

    /** The ordering the service promises: each key ASC NULLS LAST or DESC NULLS FIRST, then id ascending. */
    static Comparator<Row> ordering(String sort) {
        Comparator<Row> ordering = (unusedLeft, unusedRight) -> 0;
        boolean byId = false;
        for (String item : sort.isEmpty() ? new String[0] : sort.split(",")) {
            boolean descending = item.startsWith("-");
            String column = descending ? item.substring(1) : item;
            Function<Row, Comparable<Object>> value = switch (column) {
                case "id" -> row -> comparable(row.id());
                case "a" -> row -> comparable(row.a());
                case "b" -> row -> comparable(row.b());
                default -> throw new IllegalArgumentException(column);
            };
            byId |= column.equals("id");
            ordering = ordering.thenComparing(value, descending
                    ? Comparator.nullsFirst(Comparator.<Comparable<Object>>reverseOrder())
                    : Comparator.nullsLast(Comparator.<Comparable<Object>>naturalOrder()));
        }
        return byId ? ordering : ordering.thenComparingInt(Row::id);
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> comparable(Object value) {
        return (Comparable<Object>) value;
    }

    /** Each sortable column of each type, both ways, one row a page: the cursor carries every type's values exactly. */
    static Stream<String> typedSorts() {
        List<String> sorts = new ArrayList<>();
        for (String column : List.of("n", "big", "amount", "ratio", "d", "ts", "flag", "label")) {
            sorts.add(column);
            sorts.add("-" + column);
        }
        sorts.add("flag,-d,label");
        sorts.add("-amount,ts");
        return sorts.stream();
    }

    @ParameterizedTest
    @MethodSource("typedSorts")
    void aCursorCarriesEveryTypeExactly(String sort) throws Exception {
        List<Integer> unpaged = ids(page("/queries/test/typed-values?_limit=10000&_sort=" + sort));
        List<Integer> expected = FilterLookupTest.ROWS.stream().sorted(typedOrdering(sort)).map(FilterLookupTest.Row::id).toList();
        assertThat(unpaged).as("in Java's order").isEqualTo(expected);
        for (int limit : List.of(1, 2, 5)) {
            assertThat(pageThrough("/queries/test/typed-values?_sort=" + sort, limit, unpaged.size())).as("by %d", limit)
                    .isEqualTo(unpaged);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "r", "-r", "x", "-x", "r,-x", "-x,r" })
    void aCursorCarriesFloatsInfinitiesAndNaN(String sort) throws Exception {
        List<Integer> unpaged = ids(page("/queries/test/float-values?_limit=10000&_sort=" + sort));
        Comparator<FilterLookupTest.FloatRow> ordering = (unusedLeft, unusedRight) -> 0;
        for (String item : sort.split(",")) {
            boolean descending = item.startsWith("-");
            Function<FilterLookupTest.FloatRow, Comparable<Object>> value = item.endsWith("r")
                    ? row -> comparable(row.r()) : row -> comparable(row.x());
            ordering = ordering.thenComparing(value, descending
                    ? Comparator.nullsFirst(Comparator.<Comparable<Object>>reverseOrder())
                    : Comparator.nullsLast(Comparator.<Comparable<Object>>naturalOrder()));
        }
        assertThat(unpaged).as("in Java's order").isEqualTo(FilterLookupTest.FLOAT_ROWS.stream()
                .sorted(ordering.thenComparingInt(FilterLookupTest.FloatRow::id)).map(FilterLookupTest.FloatRow::id).toList());
        for (int limit : List.of(1, 3)) {
            assertThat(pageThrough("/queries/test/float-values?_sort=" + sort, limit, unpaged.size())).as("by %d", limit)
                    .isEqualTo(unpaged);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "code", "-code" })
    void aCursorOnFixedWidthTextIgnoresItsPadding(String sort) throws Exception {
        // char(4) values come back padded ("ab  "); PostgreSQL compares them without the padding
        JsonNode all = page("/queries/test/fixed-width?_limit=10000&_sort=" + sort);
        assertThat(all.get("rows").get(0).get("code").isNull() ? null : all.get("rows").get(0).get("code").asText())
                .isEqualTo(sort.startsWith("-") ? null : "a b ");
        List<Integer> unpaged = ids(all);
        assertThat(unpaged).isEqualTo(sort.startsWith("-") ? List.of(5, 3, 6, 4, 1, 2, 7) : List.of(7, 1, 2, 4, 3, 6, 5));
        for (int limit : List.of(1, 2)) {
            assertThat(pageThrough("/queries/test/fixed-width?_sort=" + sort, limit, unpaged.size())).as("by %d", limit)
                    .isEqualTo(unpaged);
        }
    }

    private static Comparator<FilterLookupTest.Row> typedOrdering(String sort) {
        Comparator<FilterLookupTest.Row> ordering = (unusedLeft, unusedRight) -> 0;
        for (String item : sort.split(",")) {
            boolean descending = item.startsWith("-");
            String column = descending ? item.substring(1) : item;
            Function<FilterLookupTest.Row, Comparable<Object>> value = switch (column) {
                case "n" -> row -> comparable(row.n());
                case "big" -> row -> comparable(row.big());
                case "amount" -> row -> comparable(row.amount());
                case "ratio" -> row -> comparable(row.ratio());
                case "d" -> row -> comparable(row.d());
                case "ts" -> row -> comparable(row.ts());
                case "flag" -> row -> comparable(row.flag());
                case "label" -> row -> comparable(row.label());
                default -> throw new IllegalArgumentException(column);
            };
            ordering = ordering.thenComparing(value, descending
                    ? Comparator.nullsFirst(Comparator.<Comparable<Object>>reverseOrder())
                    : Comparator.nullsLast(Comparator.<Comparable<Object>>naturalOrder()));
        }
        return ordering.thenComparingInt(FilterLookupTest.Row::id);
    }

    @Test
    void aTamperedCursorIsA400OnAfter() throws Exception {
        String cursor = next(PAGING + "?rows=50&_sort=a&_limit=10");
        int dot = cursor.indexOf('.');
        for (int position : List.of(0, dot / 2, dot - 1, dot + 1, dot + 20)) {
            String tampered = cursor.substring(0, position) + flip(cursor.charAt(position)) + cursor.substring(position + 1);
            badCursor(PAGING + "?rows=50&_sort=a&_limit=10&_after=" + tampered,
                    "parameter '_after' is not a cursor this service issued for this query and ordering");
        }
        badCursor(PAGING + "?rows=50&_sort=a&_limit=10&_after=" + cursor.substring(0, dot),
                "parameter '_after' is not a cursor this service issued for this query and ordering");
        badCursor(PAGING + "?rows=50&_sort=a&_limit=10&_after=" + cursor + "x",
                "parameter '_after' is not a cursor this service issued for this query and ordering");
        badCursor(PAGING + "?rows=50&_sort=a&_limit=10&_after=not-a-cursor!", "parameter '_after' is not a cursor this service issued");
        // the untampered cursor still works
        given().when().get(PAGING + "?rows=50&_sort=a&_limit=10&_after=" + cursor).then().statusCode(200);
    }

    @Test
    void aCursorIsGoodOnlyForItsOrdering() throws Exception {
        String cursor = next(PAGING + "?rows=50&_sort=a&_limit=10");
        for (String sort : List.of("-a", "b", "a,b", "-id", "id")) {
            badCursor(PAGING + "?rows=50&_sort=" + sort + "&_limit=10&_after=" + cursor,
                    "parameter '_after' is not a cursor this service issued for this query and ordering");
        }
        // the same ordering through @order and _sort is the same ordering
        String byKey = next(PAGING + "?rows=50&_limit=10");
        given().when().get(PAGING + "?rows=50&_sort=id&_limit=10&_after=" + byKey).then().statusCode(200)
                .body("rows[0].id", equalTo(11));
    }

    @Test
    void aCursorIsGoodOnlyForItsTemplate() throws Exception {
        String cursor = next(PAGING + "?rows=50&_limit=10");
        // test/typed-values is keyed by id too, with the same ordering signature: only the template tells them apart
        badCursor("/queries/test/typed-values?_limit=5&_after=" + cursor,
                "parameter '_after' is not a cursor this service issued for this query and ordering");
        badCursor("/queries/test/many-rows?_limit=5&_after=" + cursor,
                "parameter '_after' is not a cursor this service issued for this query and ordering");
        given().accept("text/event-stream").header("Last-Event-ID", cursor)
                .when().get("/queries/test/typed-values")
                .then().statusCode(400).body("parameter", equalTo("_after"));
    }

    @Test
    void aCursorNeedsAKeyedOrdering() {
        given().when().get("/queries/test/slow-aggregate?seconds=0&_after=x.y").then().statusCode(400)
                .body("parameter", equalTo("_after"))
                .body("detail", equalTo("parameter '_after' needs an ordering that ends with the row key; "
                        + "test/slow-aggregate declares no @key"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "a", "-b", "a,-b", "" })
    void offsetPagesAreSlicesOfTheWholeResult(String sort) throws Exception {
        String query = PAGING + "?seed=77&rows=95&distinct=3&nulls=25" + (sort.isEmpty() ? "" : "&_sort=" + sort);
        List<Row> all = rows(page(query + "&_limit=10000"));
        assertThat(all).hasSize(95);
        for (int size : List.of(1, 10, 30)) {
            List<Row> paged = new ArrayList<>();
            for (int offset = 0; offset < all.size() + size; offset += size) {
                List<Row> rows = rows(page(query + "&_limit=" + size + "&_offset=" + offset));
                assertThat(rows).as("offset %d by %d", offset, size)
                        .isEqualTo(all.subList(Math.min(offset, all.size()), Math.min(offset + size, all.size())));
                paged.addAll(rows);
            }
            assertThat(paged).isEqualTo(all);
        }
        assertThat(rows(page(query + "&_offset=1000"))).isEmpty();
    }

    @Test
    void anExactCountIsTheNumberOfRowsThatPassTheFilters() throws Exception {
        String data = PAGING + "?seed=12&rows=240&distinct=4&nulls=30";
        List<Row> all = rows(page(data + "&_limit=10000"));
        for (Filter filter : FILTERS) {
            long expected = all.stream().filter(filter.keeps()).count();
            String query = data + (filter.query().isEmpty() ? "" : "&" + filter.query()) + "&_count=exact&_sort=-a";
            JsonNode first = page(query + "&_limit=7");
            assertThat(first.get("page").get("total").asLong()).as(filter.toString()).isEqualTo(expected);
            if (!first.get("page").get("next").isNull()) {
                // the total counts all pages, not what is left after the cursor
                JsonNode second = page(query + "&_limit=7&_after=" + first.get("page").get("next").asText());
                assertThat(second.get("page").get("total").asLong()).as(filter.toString()).isEqualTo(expected);
            }
        }
        assertThat(page(data + "&_limit=3").get("page").has("total")).as("no total unless asked").isFalse();
    }

    @Test
    void aPlannedCountIsANonNegativeWholeNumber() throws Exception {
        for (String query : List.of(PAGING + "?rows=240", PAGING + "?rows=240&a__gte=2", PAGING + "?rows=0",
                "/queries/tpch/q03", "/queries/test/typed-values?label__contains=p")) {
            JsonNode total = page(query + (query.contains("?") ? "&" : "?") + "_count=planned").get("page").get("total");
            assertThat(total.isIntegralNumber()).as(query).isTrue();
            assertThat(total.asLong()).as(query).isNotNegative();
        }
        given().when().get(PAGING + "?_count=roughly").then().statusCode(400).body("parameter", equalTo("_count"))
                .body("detail", equalTo("parameter '_count' is exact or planned, not 'roughly'"));
    }

    /** Every row of a query, page by page through page.next; fails when paging does not end. */
    private static List<Integer> pageThrough(String query, int limit, int expectedRows) throws Exception {
        List<Integer> ids = new ArrayList<>();
        String next = null;
        for (int pages = 0; pages <= expectedRows / limit + 1; pages++) {
            JsonNode page = page(query + "&_limit=" + limit + (next == null ? "" : "&_after=" + next));
            ids.addAll(ids(page));
            if (page.get("page").get("next").isNull()) {
                return ids;
            }
            next = page.get("page").get("next").asText();
        }
        throw new AssertionError("paging " + query + " by " + limit + " did not end: " + ids);
    }

    private static void badCursor(String query, String detail) {
        given().when().get(query).then().statusCode(400).contentType("application/problem+json")
                .body("parameter", equalTo("_after"))
                .body("detail", equalTo(detail));
    }

    private static char flip(char c) {
        return c == 'A' ? 'B' : 'A';
    }

    private static String next(String query) throws Exception {
        String next = page(query).get("page").get("next").asText();
        assertThat(next).contains(".");
        return next;
    }

    static JsonNode page(String query) throws Exception {
        return JSON.readTree(given().urlEncodingEnabled(false).when().get(query).then().statusCode(200).extract().asString());
    }

    private static List<Row> rows(JsonNode page) {
        List<Row> rows = new ArrayList<>();
        page.get("rows").forEach(row -> rows.add(new Row(row.get("id").asInt(),
                row.get("a").isNull() ? null : row.get("a").asInt(), row.get("b").isNull() ? null : row.get("b").asText())));
        return rows;
    }

    private static List<Integer> ids(JsonNode page) {
        List<Integer> ids = new ArrayList<>();
        page.get("rows").forEach(row -> ids.add(row.get("id").asInt()));
        return ids;
    }
}
