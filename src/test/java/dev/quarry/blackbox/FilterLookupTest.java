package dev.quarry.blackbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.quarry.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The generic filters, lookup by lookup and type by type, over test/typed-values. The expected rows
 * of every filter are computed here, in Java, from a copy of the template's VALUES, with SQL's rules
 * for nulls: a comparison with a null is never true, except {@code __ne} (IS DISTINCT FROM) and
 * {@code __isnull}.
 */
@QuarkusTest
class FilterLookupTest {

    /** Reads numbers exactly as sent, 10.50 as 10.50. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    private static final String TEMPLATE = "/queries/test/typed-values";

    /** One row of test/typed-values.sql, in Java. */
    record Row(int id, Integer n, Long big, BigDecimal amount, Double ratio, LocalDate d, LocalDateTime ts, Boolean flag,
            String label) {
    }

    /** The same rows as the template's VALUES. */
    static final List<Row> ROWS = List.of(
            new Row(1, 10, 5_000_000_000L, dec("10.50"), 0.1, date("2024-01-15"), ts("2024-01-15T08:30:00"), true, "apple"),
            new Row(2, -5, -3L, dec("-3.25"), 2.5, date("2023-12-31"), ts("2023-12-31T23:59:59.5"), false, "banana"),
            new Row(3, 10, 7L, dec("10.5"), -1.75, date("2024-02-29"), ts("2024-02-29T00:00:00"), true, "Apricot"),
            new Row(4, null, null, null, null, null, null, null, null),
            new Row(5, 0, 5_000_000_000L, dec("0"), 0.1, date("2024-01-15"), ts("2024-01-15T08:30:00.123456"), null, "pineapple"),
            new Row(6, 42, 9_000_000_000_000_000_000L, dec("99.99"), null, date("2025-06-01"), null, false, "O'Brien"),
            new Row(7, 7, 0L, null, 1e10, null, ts("2024-06-01T12:00:00"), true, "50% off"),
            new Row(8, null, 12L, dec("0.001"), 3.0, date("2024-01-01"), ts("2024-01-01T00:00:00"), false, "under_score"),
            new Row(9, 3, null, dec("1000000.00"), -0.5, date("2024-03-10"), ts("2024-03-10T10:00:00"), null, ""),
            new Row(10, 10, 7L, dec("10.5"), 2.5, date("2024-01-15"), ts("2024-01-15T08:30:00"), true, "apple"),
            new Row(11, 25, -3L, dec("2.5"), 0.1, date("2023-06-30"), ts("2023-06-30T18:45:00"), false, "Ünïcödé ’quoted’"),
            new Row(12, -100, 1L, dec("-0.01"), null, date("2022-02-02"), null, true, "cherry"));

    @Test
    void theTemplateHoldsTheRowsThatTheExpectationsAreComputedFrom() throws Exception {
        JsonNode page = JSON.readTree(given().when().get(TEMPLATE + "?_limit=10000").then().statusCode(200).extract().asString());
        assertThat(page.get("columns").findValuesAsText("type")).containsExactly("integer", "integer", "bigint", "numeric",
                "double precision", "date", "timestamp without time zone", "boolean", "text");
        JsonNode rows = page.get("rows");
        assertThat(rows).hasSize(ROWS.size());
        for (int i = 0; i < ROWS.size(); i++) {
            Row expected = ROWS.get(i);
            JsonNode row = rows.get(i);
            assertThat(row.get("id").asInt()).isEqualTo(expected.id());
            assertThat(row.get("n").isNull() ? null : row.get("n").asInt()).isEqualTo(expected.n());
            assertThat(row.get("big").isNull() ? null : row.get("big").asLong()).isEqualTo(expected.big());
            // exactly, scale included: 10.50 stays 10.50
            assertThat(row.get("amount").isNull() ? null : row.get("amount").decimalValue()).isEqualTo(expected.amount());
            assertThat(row.get("ratio").isNull() ? null : row.get("ratio").asDouble()).isEqualTo(expected.ratio());
            assertThat(row.get("d").isNull() ? null : LocalDate.parse(row.get("d").asText())).isEqualTo(expected.d());
            assertThat(row.get("ts").isNull() ? null : LocalDateTime.parse(row.get("ts").asText())).isEqualTo(expected.ts());
            assertThat(row.get("flag").isNull() ? null : row.get("flag").asBoolean()).isEqualTo(expected.flag());
            assertThat(row.get("label").isNull() ? null : row.get("label").asText()).isEqualTo(expected.label());
        }
    }

    static Stream<Arguments> lookups() {
        return Stream.of(
                // integer
                lookup("n", "10", r -> eq(r.n(), 10)),
                lookup("n", "-100", r -> eq(r.n(), -100)),
                lookup("n__ne", "10", r -> ne(r.n(), 10)),
                lookup("n__lt", "7", r -> lt(r.n(), 7)),
                lookup("n__lte", "7", r -> lte(r.n(), 7)),
                lookup("n__gt", "10", r -> gt(r.n(), 10)),
                lookup("n__gte", "10", r -> gte(r.n(), 10)),
                lookup("n__in", "10,-5,42,999", r -> in(r.n(), 10, -5, 42, 999)),
                lookup("n__range", "0,10", r -> between(r.n(), 0, 10)),
                lookup("n__isnull", "true", r -> r.n() == null),
                lookup("n__isnull", "false", r -> r.n() != null),
                // bigint, beyond the range of an integer
                lookup("big", "5000000000", r -> eq(r.big(), 5_000_000_000L)),
                lookup("big__ne", "7", r -> ne(r.big(), 7L)),
                lookup("big__lt", "0", r -> lt(r.big(), 0L)),
                lookup("big__lte", "7", r -> lte(r.big(), 7L)),
                lookup("big__gt", "7", r -> gt(r.big(), 7L)),
                lookup("big__gte", "5000000000", r -> gte(r.big(), 5_000_000_000L)),
                lookup("big__in", "5000000000,-3,9000000000000000000", r -> in(r.big(), 5_000_000_000L, -3L, 9_000_000_000_000_000_000L)),
                lookup("big__range", "-3,12", r -> between(r.big(), -3L, 12L)),
                lookup("big__isnull", "true", r -> r.big() == null),
                // numeric: equal values of different scales are equal
                lookup("amount", "10.5", r -> eq(r.amount(), dec("10.5"))),
                lookup("amount", "10.500", r -> eq(r.amount(), dec("10.5"))),
                lookup("amount__ne", "10.5", r -> ne(r.amount(), dec("10.5"))),
                lookup("amount__lt", "0", r -> lt(r.amount(), dec("0"))),
                lookup("amount__lte", "0", r -> lte(r.amount(), dec("0"))),
                lookup("amount__gt", "99.99", r -> gt(r.amount(), dec("99.99"))),
                lookup("amount__gte", "2.5", r -> gte(r.amount(), dec("2.5"))),
                lookup("amount__in", "10.5,0,-0.01", r -> in(r.amount(), dec("10.5"), dec("0"), dec("-0.01"))),
                lookup("amount__range", "-0.01,2.5", r -> between(r.amount(), dec("-0.01"), dec("2.5"))),
                lookup("amount__isnull", "false", r -> r.amount() != null),
                // double precision, filtered with decimal text
                lookup("ratio", "0.1", r -> eq(r.ratio(), 0.1)),
                lookup("ratio", "1e10", r -> eq(r.ratio(), 1e10)),
                lookup("ratio__ne", "0.1", r -> ne(r.ratio(), 0.1)),
                lookup("ratio__lt", "0", r -> lt(r.ratio(), 0.0)),
                lookup("ratio__lte", "-0.5", r -> lte(r.ratio(), -0.5)),
                lookup("ratio__gt", "2.5", r -> gt(r.ratio(), 2.5)),
                lookup("ratio__gte", "2.5", r -> gte(r.ratio(), 2.5)),
                lookup("ratio__in", "0.1,3", r -> in(r.ratio(), 0.1, 3.0)),
                lookup("ratio__range", "-1,2.5", r -> between(r.ratio(), -1.0, 2.5)),
                lookup("ratio__isnull", "true", r -> r.ratio() == null),
                // date
                lookup("d", "2024-01-15", r -> eq(r.d(), date("2024-01-15"))),
                lookup("d__ne", "2024-01-15", r -> ne(r.d(), date("2024-01-15"))),
                lookup("d__lt", "2024-01-01", r -> lt(r.d(), date("2024-01-01"))),
                lookup("d__lte", "2024-01-01", r -> lte(r.d(), date("2024-01-01"))),
                lookup("d__gt", "2024-02-29", r -> gt(r.d(), date("2024-02-29"))),
                lookup("d__gte", "2024-02-29", r -> gte(r.d(), date("2024-02-29"))),
                lookup("d__in", "2024-01-15,2022-02-02,2000-01-01",
                        r -> in(r.d(), date("2024-01-15"), date("2022-02-02"), date("2000-01-01"))),
                lookup("d__range", "2024-01-01,2024-02-29", r -> between(r.d(), date("2024-01-01"), date("2024-02-29"))),
                lookup("d__isnull", "true", r -> r.d() == null),
                // timestamp: to the microsecond, with a T or a space between date and time
                lookup("ts", "2024-01-15T08:30:00", r -> eq(r.ts(), ts("2024-01-15T08:30:00"))),
                lookup("ts", "2024-01-15 08:30:00.123456", r -> eq(r.ts(), ts("2024-01-15T08:30:00.123456"))),
                lookup("ts__ne", "2024-01-15T08:30", r -> ne(r.ts(), ts("2024-01-15T08:30:00"))),
                lookup("ts__lt", "2024-01-01T00:00", r -> lt(r.ts(), ts("2024-01-01T00:00:00"))),
                lookup("ts__lte", "2024-01-01T00:00", r -> lte(r.ts(), ts("2024-01-01T00:00:00"))),
                lookup("ts__gt", "2024-01-15T08:30:00", r -> gt(r.ts(), ts("2024-01-15T08:30:00"))),
                lookup("ts__gte", "2024-01-15T08:30:00.000001", r -> gte(r.ts(), ts("2024-01-15T08:30:00.000001"))),
                lookup("ts__in", "2023-12-31T23:59:59.5,2024-06-01T12:00",
                        r -> in(r.ts(), ts("2023-12-31T23:59:59.5"), ts("2024-06-01T12:00:00"))),
                lookup("ts__range", "2024-01-15T08:30,2024-01-15T08:30:00.123456",
                        r -> between(r.ts(), ts("2024-01-15T08:30:00"), ts("2024-01-15T08:30:00.123456"))),
                lookup("ts__isnull", "false", r -> r.ts() != null),
                // boolean, in any of the spellings the parser takes
                lookup("flag", "true", r -> eq(r.flag(), true)),
                lookup("flag", "f", r -> eq(r.flag(), false)),
                lookup("flag__ne", "true", r -> ne(r.flag(), true)),
                lookup("flag__lt", "yes", r -> lt(r.flag(), true)),
                lookup("flag__gte", "1", r -> gte(r.flag(), true)),
                lookup("flag__in", "true,false", r -> in(r.flag(), true, false)),
                lookup("flag__isnull", "true", r -> r.flag() == null),
                // text, ordered byte by byte (the template's COLLATE "C")
                lookup("label", "apple", r -> eq(r.label(), "apple")),
                lookup("label", "O'Brien", r -> eq(r.label(), "O'Brien")),
                lookup("label", "Ünïcödé ’quoted’", r -> eq(r.label(), "Ünïcödé ’quoted’")),
                lookup("label__ne", "apple", r -> ne(r.label(), "apple")),
                lookup("label__lt", "b", r -> lt(r.label(), "b")),
                lookup("label__lte", "banana", r -> lte(r.label(), "banana")),
                lookup("label__gt", "banana", r -> gt(r.label(), "banana")),
                lookup("label__gte", "cherry", r -> gte(r.label(), "cherry")),
                lookup("label__in", "apple,cherry,nope", r -> in(r.label(), "apple", "cherry", "nope")),
                lookup("label__range", "a,c", r -> between(r.label(), "a", "c")),
                lookup("label__contains", "pp", r -> r.label() != null && r.label().contains("pp")),
                lookup("label__contains", "p", r -> r.label() != null && r.label().contains("p")),
                // no LIKE wildcards: % and _ are themselves
                lookup("label__contains", "%", r -> r.label() != null && r.label().contains("%")),
                lookup("label__contains", "_", r -> r.label() != null && r.label().contains("_")),
                lookup("label__contains", "’", r -> r.label() != null && r.label().contains("’")),
                lookup("label__icontains", "AP", r -> r.label() != null && lower(r.label()).contains("ap")),
                lookup("label__icontains", "o'b", r -> r.label() != null && lower(r.label()).contains("o'b")),
                lookup("label__startswith", "a", r -> r.label() != null && r.label().startsWith("a")),
                lookup("label__startswith", "A", r -> r.label() != null && r.label().startsWith("A")),
                lookup("label__isnull", "true", r -> r.label() == null));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("lookups")
    void eachLookupReturnsExactlyTheRowsItMatches(String parameter, String value, Predicate<Row> matches) {
        List<Integer> expected = ROWS.stream().filter(matches).map(Row::id).toList();
        // each case tells something: it keeps some rows and drops others
        assertThat(expected).as("expected ids of %s=%s", parameter, value).isNotEmpty().hasSizeLessThan(ROWS.size());
        assertThat(ids(parameter, value)).as("ids of %s=%s", parameter, value).isEqualTo(expected);
    }

    /** One row of test/float-values.sql, in Java: Java orders NaN above the infinities, as PostgreSQL does. */
    record FloatRow(int id, Float r, Double x) {
    }

    static final List<FloatRow> FLOAT_ROWS = List.of(
            new FloatRow(1, 0.1f, 0.1),
            new FloatRow(2, 0.1f, Double.POSITIVE_INFINITY),
            new FloatRow(3, 2.5f, Double.NaN),
            new FloatRow(4, null, Double.NEGATIVE_INFINITY),
            new FloatRow(5, Float.POSITIVE_INFINITY, 0.1),
            new FloatRow(6, 0.1f, null),
            new FloatRow(7, Float.NaN, 1e-300),
            new FloatRow(8, -1.5f, Double.NaN),
            new FloatRow(9, Float.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
            new FloatRow(10, 3.4e38f, -0.5));

    static Stream<Arguments> floatLookups() {
        return Stream.of(
                // a real is compared as a real: 0.1 is the real nearest 0.1, which as a double is 0.10000000149
                floatLookup("r", "0.1", r -> eq(r.r(), 0.1f)),
                floatLookup("r__gt", "0.1", r -> gt(r.r(), 0.1f)),
                floatLookup("r__lte", "0.1", r -> lte(r.r(), 0.1f)),
                floatLookup("r__ne", "0.1", r -> ne(r.r(), 0.1f)),
                floatLookup("r__gte", "Infinity", r -> gte(r.r(), Float.POSITIVE_INFINITY)),
                floatLookup("r", "NaN", r -> eq(r.r(), Float.NaN)),
                floatLookup("r__in", "0.1,2.5", r -> in(r.r(), 0.1f, 2.5f)),
                floatLookup("r__range", "-1.5,3.4e38", r -> between(r.r(), -1.5f, 3.4e38f)),
                floatLookup("r__isnull", "true", r -> r.r() == null),
                floatLookup("x", "Infinity", r -> eq(r.x(), Double.POSITIVE_INFINITY)),
                floatLookup("x", "NaN", r -> eq(r.x(), Double.NaN)),
                floatLookup("x", "1e-300", r -> eq(r.x(), 1e-300)),
                floatLookup("x__ne", "NaN", r -> ne(r.x(), Double.NaN)),
                floatLookup("x__lt", "0", r -> lt(r.x(), 0.0)),
                floatLookup("x__gt", "1e308", r -> gt(r.x(), 1e308)),
                floatLookup("x__lte", "1e-300", r -> lte(r.x(), 1e-300)),
                floatLookup("x__in", "-Infinity,0.1", r -> in(r.x(), Double.NEGATIVE_INFINITY, 0.1)),
                floatLookup("x__range", "-infinity,0.1", r -> between(r.x(), Double.NEGATIVE_INFINITY, 0.1)));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("floatLookups")
    void eachLookupOnAFloatColumnComparesInItsOwnType(String parameter, String value, Predicate<FloatRow> matches) {
        List<Integer> expected = FLOAT_ROWS.stream().filter(matches).map(FloatRow::id).toList();
        assertThat(expected).as("expected ids of %s=%s", parameter, value).isNotEmpty().hasSizeLessThan(FLOAT_ROWS.size());
        List<Integer> ids = given().queryParam(parameter, value).when().get("/queries/test/float-values")
                .then().statusCode(200).extract().path("rows.id");
        assertThat(ids).as("ids of %s=%s", parameter, value).isEqualTo(expected);
    }

    @Test
    void aFloatOutOfItsTypesRangeIsA400() {
        given().queryParam("r", "1e39").when().get("/queries/test/float-values")
                .then().statusCode(400).body("parameter", equalTo("r"))
                .body("detail", equalTo("parameter 'r' expected a number within the range of real, got '1e39'"));
    }

    @Test
    void fixedWidthTextIsFilteredWithoutItsPadding() {
        // test/fixed-width: code char(4) is 1 'ab', 2 'ab', 3 'b', 4 'abc', 5 null, 6 'b', 7 'a b'
        for (Object[] filter : new Object[][] { { "code", "ab", List.of(1, 2) }, { "code__gt", "ab", List.of(3, 4, 6) },
                { "code__in", "b,abc", List.of(3, 4, 6) }, { "code__startswith", "a", List.of(1, 2, 4, 7) },
                { "code__contains", " ", List.of(7) }, { "code__ne", "b", List.of(1, 2, 4, 5, 7) } }) {
            List<Integer> ids = given().queryParam((String) filter[0], filter[1]).when().get("/queries/test/fixed-width")
                    .then().statusCode(200).extract().path("rows.id");
            assertThat(ids).as("%s=%s", filter[0], filter[1]).isEqualTo(filter[2]);
        }
    }

    @Test
    void filtersCombineWithAnd() {
        List<Integer> expected = ROWS.stream().filter(r -> gte(r.n(), 0) && eq(r.flag(), true) && r.label() != null
                && r.label().startsWith("a")).map(Row::id).toList();
        assertThat(expected).containsExactly(1, 10);
        List<Integer> ids = given().queryParam("n__gte", "0").queryParam("flag", "true").queryParam("label__startswith", "a")
                .when().get(TEMPLATE).then().statusCode(200).extract().path("rows.id");
        assertThat(ids).isEqualTo(expected);
    }

    @Test
    void aValueMatchingNoRowReturnsNone() {
        assertThat(ids("n", "11")).isEmpty();
        assertThat(ids("label", "APPLE")).isEmpty();
        assertThat(ids("label__startswith", "pple")).isEmpty();
    }

    @Test
    void inTakesAThousandValues() {
        // 1000 values of 10 digits: longer than the 4096 bytes an HTTP request line may have by default
        List<Long> values = LongStream.range(4_999_999_500L, 5_000_000_500L).boxed().toList();
        List<Integer> expected = ROWS.stream().filter(r -> r.big() != null && values.contains(r.big())).map(Row::id).toList();
        assertThat(expected).containsExactly(1, 5);
        assertThat(ids("big__in", values.stream().map(String::valueOf).collect(Collectors.joining(",")))).isEqualTo(expected);
        List<Integer> small = IntStream.range(-500, 500).boxed().toList();
        assertThat(ids("n__in", small.stream().map(String::valueOf).collect(Collectors.joining(","))))
                .isEqualTo(ROWS.stream().filter(r -> r.n() != null && small.contains(r.n())).map(Row::id).toList());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            n__gt            | abc           | expected an integer, got 'abc'
            n                | 1 OR 1=1      | expected an integer, got '1 OR 1=1'
            n                | 2147483648    | expected an integer, got '2147483648'
            big__lt          | 5e9           | expected an integer, got '5e9'
            amount           | ten           | expected a decimal number, got 'ten'
            ratio__gte       | ten           | expected a number (or NaN, Infinity, -Infinity), got 'ten'
            ratio            | 0x1p3         | expected a number (or NaN, Infinity, -Infinity), got '0x1p3'
            ratio            | 1.5d          | expected a number (or NaN, Infinity, -Infinity), got '1.5d'
            ratio__lt        | 1e309         | expected a number within the range of double precision, got '1e309'
            amount           | NaN           | expected a decimal number, got 'NaN'
            d                | 2024-13-01    | expected a date as YYYY-MM-DD, got '2024-13-01'
            d__gte           | 2023-02-29    | expected a date as YYYY-MM-DD, got '2023-02-29'
            ts__lt           | yesterday     | expected a timestamp as YYYY-MM-DDThh:mm[:ss], got 'yesterday'
            flag             | maybe         | expected true or false, got 'maybe'
            flag__isnull     | perhaps       | expected true or false, got 'perhaps'
            n__in            | 1,two,3       | expected an integer, got 'two'
            d__range         | 2024-01-01,x  | expected a date as YYYY-MM-DD, got 'x'
            n__range         | 5             | takes two values, low,high; got '5'
            n__range         | 1,2,3         | takes two values, low,high; got '1,2,3'
            n__contains      | 1             | 'contains' applies to text columns; n is integer
            d__startswith    | 2024          | 'startswith' applies to text columns; d is date
            flag__icontains  | t             | 'icontains' applies to text columns; flag is boolean
            amount__contains | 1             | 'contains' applies to text columns; amount is numeric
            """)
    void aBadFilterIsA400NamingItsParameter(String parameter, String value, String reason) {
        given().queryParam(parameter, value)
                .when().get(TEMPLATE)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Bad parameter"))
                .body("parameter", equalTo(parameter))
                .body("detail", equalTo("parameter '" + parameter + "' " + reason));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            amount   | 1e131072                      | expected a decimal number within PostgreSQL's numeric (at most 131072 digits before the point and 16383 after), got '1e131072'
            amount   | 1e-16384                      | expected a decimal number within PostgreSQL's numeric (at most 131072 digits before the point and 16383 after), got '1e-16384'
            amount   | 1e-999999999                  | expected a decimal number within PostgreSQL's numeric (at most 131072 digits before the point and 16383 after), got '1e-999999999'
            d        | +5874898-01-01                | expected a date within PostgreSQL's range, -4713-11-24 (4714 BC) to +5874897-12-31, got '+5874898-01-01'
            d__lt    | -4713-11-23                   | expected a date within PostgreSQL's range, -4713-11-24 (4714 BC) to +5874897-12-31, got '-4713-11-23'
            d__in    | 2024-01-01,+999999999-12-31   | expected a date within PostgreSQL's range, -4713-11-24 (4714 BC) to +5874897-12-31, got '+999999999-12-31'
            ts       | +294277-01-01T00:00           | expected a timestamp within PostgreSQL's range, -4713-11-24T00:00 (4714 BC) to +294276-12-31T23:59:59.999999, got '+294277-01-01T00:00'
            ts__gte  | -4713-11-23T23:59:59          | expected a timestamp within PostgreSQL's range, -4713-11-24T00:00 (4714 BC) to +294276-12-31T23:59:59.999999, got '-4713-11-23T23:59:59'
            """)
    void aValueBeyondPostgresRangeIsA400NotAFailureOfPostgres(String parameter, String value, String reason) {
        // PostgreSQL failed the statement with "value overflows numeric format" or "... out of range": a 500
        given().queryParam(parameter, value)
                .when().get(TEMPLATE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("parameter", equalTo(parameter))
                .body("detail", equalTo("parameter '" + parameter + "' " + reason));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            amount__lt  | 1e131071
            amount__gt  | 1e-16383
            d__lt       | +5874897-12-31
            d__gt       | -4713-11-24
            ts__lt      | +294276-12-31T23:59:59.999999
            ts__gt      | -4713-11-24T00:00
            """)
    void theEdgesOfPostgresRangesAreAnswered(String parameter, String value) {
        List<Integer> all = ROWS.stream().filter(r -> switch (parameter.substring(0, parameter.indexOf('_'))) {
            case "amount" -> r.amount() != null && (parameter.endsWith("lt") || r.amount().signum() > 0);
            case "d" -> r.d() != null;
            default -> r.ts() != null;
        }).map(Row::id).toList();
        assertThat(ids(parameter, value)).isEqualTo(all);
    }

    @Test
    void anUnknownColumnIsA400ListingTheColumns() {
        given().queryParam("x", "1")
                .when().get(TEMPLATE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("parameter", equalTo("x"))
                .body("detail", equalTo("parameter 'x' is neither a parameter of test/typed-values nor an output column to filter on"))
                .body("allowed", equalTo(List.of("id", "n", "big", "amount", "ratio", "d", "ts", "flag", "label")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "n__foo", "x__foo" })
    void anUnknownLookupIsA400ListingTheLookups(String parameter) {
        given().queryParam(parameter, "1")
                .when().get(TEMPLATE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("parameter", equalTo(parameter))
                .body("detail", equalTo("parameter '" + parameter + "' has no lookup 'foo'"))
                .body("allowed", equalTo(List.of("exact", "ne", "lt", "lte", "gt", "gte", "in", "range", "contains",
                        "icontains", "startswith", "isnull")));
    }

    @Test
    void anUnknownColumnWithAKnownLookupIsA400() {
        given().queryParam("x__gte", "1")
                .when().get(TEMPLATE)
                .then().statusCode(400)
                .body("parameter", equalTo("x__gte"))
                .body("detail",
                        equalTo("parameter 'x__gte' is neither a parameter of test/typed-values nor an output column to filter on"));
    }

    @Test
    void aFilterGivenTwiceIsA400PointingToIn() {
        given().queryParam("n", "1", "2")
                .when().get(TEMPLATE)
                .then().statusCode(400)
                .body("parameter", equalTo("n"))
                .body("detail", equalTo("parameter 'n' takes one value; for several use n__in=a,b"));
    }

    @Test
    void inTakesAtMostAThousandValues() {
        String tooMany = IntStream.range(0, 1001).mapToObj(Integer::toString).collect(Collectors.joining(","));
        given().queryParam("n__in", tooMany)
                .when().get(TEMPLATE)
                .then().statusCode(400)
                .body("parameter", equalTo("n__in"))
                .body("detail", equalTo("parameter 'n__in' takes at most 1000 values"));
    }

    static Stream<String> injections() {
        return Stream.of("'; DROP TABLE lineitem; --", "' OR '1'='1", "apple' OR 'a'='a", "apple'--", "apple\\'; --",
                "’ OR ’1’=’1", "＇ OR ＇1＇=＇1", "ʼ; DROP TABLE lineitem; --", "$1", "\"label\"");
    }

    @ParameterizedTest
    @MethodSource("injections")
    void sqlInFilterValuesIsALiteralValue(String payload) throws SQLException {
        long lineitems = count("lineitem");
        for (String parameter : List.of("label", "label__ne", "label__contains", "label__icontains", "label__startswith",
                "label__in", "label__gte")) {
            Predicate<Row> literal = switch (parameter) {
                case "label" -> r -> eq(r.label(), payload);
                case "label__ne" -> r -> ne(r.label(), payload);
                case "label__contains" -> r -> r.label() != null && r.label().contains(payload);
                case "label__icontains" -> r -> r.label() != null && lower(r.label()).contains(lower(payload));
                case "label__startswith" -> r -> r.label() != null && r.label().startsWith(payload);
                case "label__in" -> r -> r.label() != null && List.of(payload.split(",", -1)).contains(r.label());
                default -> r -> gte(r.label(), payload);
            };
            assertThat(ids(parameter, payload)).as("%s=%s", parameter, payload)
                    .isEqualTo(ROWS.stream().filter(literal).map(Row::id).toList());
        }
        assertThat(ids("label", payload)).isEmpty();
        assertThat(count("lineitem")).isEqualTo(lineitems).isPositive();
        assertThat(count("orders")).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = { "label", "label__contains", "label__in" })
    void aNulInATextFilterIsA400NotAFailureOfPostgres(String parameter) {
        // PostgreSQL text cannot hold U+0000: sent on, it failed the statement with a 500
        given().queryParam(parameter, "apple\u0000'; DROP TABLE lineitem; --")
                .when().get(TEMPLATE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("parameter", equalTo(parameter))
                .body("detail", equalTo("parameter '" + parameter
                        + "' expected text without NUL characters (\\u0000), which PostgreSQL text cannot hold"));
    }

    @ParameterizedTest
    @MethodSource("injections")
    void injectionInAFilterNameIsAnUnknownColumn(String payload) {
        String parameter = "label" + payload;
        given().queryParam(parameter, "1")
                .when().get(TEMPLATE)
                .then().statusCode(400)
                .body("parameter", equalTo(parameter));
    }

    @Test
    void explainShowsPlaceholdersAndNeverTheValues() throws Exception {
        String payload = "'; DROP TABLE lineitem; --";
        JsonNode explained = JSON.readTree(given()
                .queryParam("_explain", "true")
                .queryParam("label", payload)
                .queryParam("label__contains", "' OR '1'='1")
                .queryParam("n__in", "1,2")
                .queryParam("d__range", "2024-01-01,2024-12-31")
                .when().get(TEMPLATE).then().statusCode(200).extract().asString());
        String sql = explained.get("sql").asText();
        assertThat(sql)
                .doesNotContain("DROP").doesNotContain("OR '1'").doesNotContain("2024-12-31")
                .containsPattern("\"label\" = \\$\\d+::text")
                .containsPattern("strpos\\(\"label\", \\$\\d+::text\\) > 0")
                .containsPattern("\"n\" = ANY\\(\\$\\d+::int\\[\\]\\)")
                .containsPattern("\"d\" BETWEEN \\$\\d+::date AND \\$\\d+::date");
        // the SQL after the template is only identifiers, keywords and placeholders
        String wrapper = sql.substring(sql.lastIndexOf(") AS q"));
        assertThat(wrapper).doesNotContain("'");
        List<String> values = new ArrayList<>();
        explained.get("values").forEach(value -> values.add(value.toString()));
        assertThat(values).contains("\"'; DROP TABLE lineitem; --\"", "\"' OR '1'='1\"", "[1,2]", "\"2024-01-01\"", "\"2024-12-31\"");
        assertThat(explained.get("plan").get(0).get("Plan").get("Node Type").asText()).isNotBlank();
    }

    @Test
    void explainListsEveryPlaceholdersValue() throws Exception {
        JsonNode explained = JSON.readTree(given().queryParam("_explain", "true").queryParam("n__gte", "3")
                .queryParam("_limit", "5").when().get(TEMPLATE).then().statusCode(200).extract().asString());
        String sql = explained.get("sql").asText();
        int placeholders = (int) java.util.regex.Pattern.compile("\\$\\d+").matcher(sql).results().count();
        assertThat(placeholders).isEqualTo(explained.get("values").size()).isEqualTo(2);
        assertThat(explained.get("values").get(0).asInt()).isEqualTo(3);
        assertThat(explained.get("values").get(1).asInt()).as("the page's limit and one more").isEqualTo(6);
        given().when().get(TEMPLATE + "?x=1&_explain=true").then().statusCode(400).body("parameter", equalTo("x"))
                .body("allowed", hasItems("n", "label"));
    }

    // the expected rows, computed with SQL's rules for null

    private static Arguments lookup(String parameter, String value, Predicate<Row> matches) {
        return Arguments.of(parameter, value, matches);
    }

    private static Arguments floatLookup(String parameter, String value, Predicate<FloatRow> matches) {
        return Arguments.of(parameter, value, matches);
    }

    private static <T extends Comparable<T>> boolean eq(T value, T other) {
        return value != null && value.compareTo(other) == 0;
    }

    /** IS DISTINCT FROM: a null differs from every value. */
    private static <T extends Comparable<T>> boolean ne(T value, T other) {
        return value == null || value.compareTo(other) != 0;
    }

    private static <T extends Comparable<T>> boolean lt(T value, T bound) {
        return value != null && value.compareTo(bound) < 0;
    }

    private static <T extends Comparable<T>> boolean lte(T value, T bound) {
        return value != null && value.compareTo(bound) <= 0;
    }

    private static <T extends Comparable<T>> boolean gt(T value, T bound) {
        return value != null && value.compareTo(bound) > 0;
    }

    private static <T extends Comparable<T>> boolean gte(T value, T bound) {
        return value != null && value.compareTo(bound) >= 0;
    }

    private static <T extends Comparable<T>> boolean between(T value, T low, T high) {
        return gte(value, low) && lte(value, high);
    }

    @SafeVarargs
    private static <T extends Comparable<T>> boolean in(T value, T... options) {
        return Stream.of(options).anyMatch(option -> eq(value, option));
    }

    /** PostgreSQL's lower() under COLLATE "C" folds ASCII letters only. */
    private static String lower(String text) {
        StringBuilder lower = new StringBuilder(text.length());
        text.chars().forEach(c -> lower.append(c < 128 ? Character.toLowerCase((char) c) : (char) c));
        return lower.toString();
    }

    private static List<Integer> ids(String parameter, String value) {
        return given().queryParam(parameter, value).queryParam("_limit", "10000")
                .when().get(TEMPLATE).then().statusCode(200).extract().path("rows.id");
    }

    private static long count(String table) throws SQLException {
        try (Connection connection = TestDatabase.connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static BigDecimal dec(String text) {
        return new BigDecimal(text);
    }

    private static LocalDate date(String text) {
        return LocalDate.parse(text);
    }

    private static LocalDateTime ts(String text) {
        return LocalDateTime.parse(text);
    }
}
