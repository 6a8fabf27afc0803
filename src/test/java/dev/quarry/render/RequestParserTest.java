package dev.quarry.render;

import static dev.quarry.render.Templates.library;
import static dev.quarry.render.Templates.query;
import static dev.quarry.render.Templates.request;
import static dev.quarry.render.Templates.template;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.quarry.template.PgType;
import dev.quarry.template.ResultColumn;
import dev.quarry.template.SortKey;
import dev.quarry.template.Template;

/** Query parameters read against a template's declarations by {@link RequestParser}. */
class RequestParserTest {

    private static final Template ORDERS = template(
            "-- Orders",
            "-- @param segment text = BUILDING in AUTOMOBILE|BUILDING|'MIDDLE EAST' -- customer market segment",
            "-- @param since date -- first day",
            "-- @param days int = 90 range 60..120",
            "-- @param big bigint optional",
            "-- @param share numeric optional range 0..1",
            "-- @param at timestamp optional",
            "-- @param strict boolean optional",
            "-- @param ids int[] optional range 1..50",
            "-- @param modes text[] = MAIL,SHIP",
            "-- @param count int optional",
            "-- @sort o_orderkey, revenue",
            "SELECT :segment, :since, :days, :modes",
            "/*[ :big ]*/ /*[ :share ]*/ /*[ :at ]*/ /*[ :strict ]*/ /*[ :ids ]*/ /*[ :count ]*/");

    private static final Template GROUPED = template(
            "-- Revenue",
            "-- @param since date = 1995-01-01",
            "-- @sort o_orderkey",
            "-- @dimension year: extract(year from o_orderdate)",
            "-- @dimension nation: n_name",
            "-- @measure revenue: sum(price)",
            "-- @measure orders: count(*)",
            "SELECT * FROM orders WHERE o_orderdate >= :since");

    /** The request error for {@code namesAndValues}, checked to be on {@code parameter}. */
    private static RequestException error(Template template, String parameter, String... namesAndValues) {
        RequestException e = assertThrows(RequestException.class, () -> request(template, namesAndValues));
        assertEquals(parameter, e.parameter(), e.getMessage());
        return e;
    }

    /** The message for one value of one parameter of {@link #ORDERS}, whose required {@code since} is given unless tested. */
    private static String ordersError(String parameter, String value) {
        List<String> query = new ArrayList<>(parameter.equals("since") ? List.of() : List.of("since", "1995-01-01"));
        query.addAll(List.of(parameter, value));
        return error(ORDERS, parameter, query.toArray(String[]::new)).getMessage();
    }

    private static Object argument(String parameter, String... values) {
        List<String> query = new ArrayList<>(parameter.equals("since") ? List.of() : List.of("since", "1995-01-01"));
        for (String value : values) {
            query.add(parameter);
            query.add(value);
        }
        return request(ORDERS, query.toArray(String[]::new)).arguments().get(parameter);
    }

    @Nested
    class Arguments {

        @Test
        void defaultsFillInAndOptionalParametersStayAbsent() {
            QueryRequest request = request(ORDERS, "since", "1995-01-01");
            assertEquals(List.of("segment", "since", "days", "modes"), List.copyOf(request.arguments().keySet()));
            assertEquals("BUILDING", request.arguments().get("segment"));
            assertEquals(LocalDate.of(1995, 1, 1), request.arguments().get("since"));
            assertEquals(90, request.arguments().get("days"));
            assertArrayEquals(new String[] { "MAIL", "SHIP" }, (String[]) request.arguments().get("modes"));
            assertEquals(Optional.empty(), request.grouping());
            assertEquals(List.of(), request.ordering());
            assertEquals(OptionalInt.empty(), request.limit());
        }

        @Test
        void argumentsKeepTheDeclarationOrder() {
            QueryRequest request = request(ORDERS, "strict", "no", "since", "1995-01-01", "big", "7", "segment", "AUTOMOBILE");
            assertEquals(List.of("segment", "since", "days", "big", "strict", "modes"), List.copyOf(request.arguments().keySet()));
        }

        @Test
        void anEmptyListOfValuesIsNoValue() {
            Map<String, List<String>> query = query("since", "1995-01-01");
            query.put("big", List.of());
            assertFalse(Templates.parse(ORDERS, query, OptionalInt.empty()).arguments().containsKey("big"));
        }

        @Test
        void eachTypeReadsItsValues() {
            assertEquals("MIDDLE EAST", argument("segment", "MIDDLE EAST"));
            assertEquals(LocalDate.of(1994, 2, 28), argument("since", "1994-02-28"));
            assertEquals(61, argument("days", " 61 "));
            assertEquals(9_000_000_000L, argument("big", "9000000000"));
            assertEquals(new BigDecimal("0.25"), argument("share", "0.25"));
            assertEquals(LocalDateTime.of(1995, 1, 1, 12, 30), argument("at", "1995-01-01 12:30"));
            assertEquals(LocalDateTime.of(1995, 1, 1, 12, 30, 15), argument("at", "1995-01-01T12:30:15"));
            for (String yes : List.of("true", "t", "yes", "1", "TRUE", "Yes")) {
                assertEquals(true, argument("strict", yes), yes);
            }
            for (String no : List.of("false", "f", "no", "0", "FALSE")) {
                assertEquals(false, argument("strict", no), no);
            }
        }

        @Test
        void rangeBoundsAreInclusive() {
            assertEquals(60, argument("days", "60"));
            assertEquals(120, argument("days", "120"));
            assertEquals(new BigDecimal("1.000"), argument("share", "1.000"));
        }
    }

    @Nested
    class Lists {

        @Test
        void aListIsOneArrayOfItsType() {
            Object ids = argument("ids", "3,1,2");
            assertInstanceOf(Integer[].class, ids);
            assertArrayEquals(new Integer[] { 3, 1, 2 }, (Integer[]) ids);
        }

        @Test
        void valuesSplitOnCommasAndRepetition() {
            assertArrayEquals(new Integer[] { 1, 2, 3, 4 }, (Integer[]) argument("ids", "1,2", "3", "4"));
            assertArrayEquals(new String[] { "REG AIR", "MAIL", "SHIP" }, (String[]) argument("modes", "REG AIR,MAIL", "SHIP"));
            assertArrayEquals(new String[] { "a", "", "b" }, (String[]) argument("modes", "a,,b"));
        }

        @Test
        void eachElementIsChecked() {
            assertEquals("expected an integer, got 'x'", ordersError("ids", "1,x"));
            assertEquals("expected an integer, got ''", ordersError("ids", "1,,2"));
            assertEquals("must be between 1 and 50, got 51", ordersError("ids", "1,51"));
        }

        @Test
        void aListTakesAtMostAThousandValues() {
            assertEquals(1000, ((Integer[]) argument("ids", String.join(",", Collections.nCopies(1000, "7")))).length);
            assertEquals("takes at most 1000 values", ordersError("ids", String.join(",", Collections.nCopies(1001, "7"))));
            List<String> query = new ArrayList<>(List.of("since", "1995-01-01"));
            for (int i = 0; i < 1001; i++) {
                query.add("modes");
                query.add("m" + i);
            }
            RequestException e = error(ORDERS, "modes", query.toArray(String[]::new));
            assertEquals("takes at most 1000 values", e.getMessage());
        }
    }

    @Nested
    class BadArguments {

        @Test
        void missingRequiredParameter() {
            RequestException e = error(ORDERS, "since");
            assertEquals("is required: a date (first day)", e.getMessage());
            assertEquals(List.of(), e.allowed());
            assertEquals("is required: a int[]", error(template("-- t", "-- @param ids int[]", "SELECT :ids"), "ids").getMessage());
        }

        @Test
        void badValueOfEachType() {
            assertEquals("expected an integer, got 'ninety'", ordersError("days", "ninety"));
            assertEquals("expected an integer, got '1.5'", ordersError("days", "1.5"));
            assertEquals("expected an integer, got '3000000000'", ordersError("days", "3000000000"));
            assertEquals("expected an integer, got '9223372036854775808'", ordersError("big", "9223372036854775808"));
            assertEquals("expected a decimal number, got '1,5'", ordersError("share", "1,5"));
            assertEquals("expected a date as YYYY-MM-DD, got '1995-02-30'", ordersError("since", "1995-02-30"));
            assertEquals("expected a date as YYYY-MM-DD, got '01/02/1995'", ordersError("since", "01/02/1995"));
            assertEquals("expected a timestamp as YYYY-MM-DDThh:mm[:ss], got 'yesterday'", ordersError("at", "yesterday"));
            assertEquals("expected true or false, got 'maybe'", ordersError("strict", "maybe"));
            assertEquals("expected an integer, got ''", ordersError("count", ""));
        }

        @Test
        void beyondTheRangeOfPostgresTypes() {
            // PostgreSQL failed such statements (value overflows numeric format, date out of range): 500s
            String numeric = "expected a decimal number within PostgreSQL's numeric (at most 131072 digits before the point and 16383 after), got '";
            assertEquals(numeric + "1e-16384'", ordersError("share", "1e-16384"));
            assertEquals(numeric + "0." + "0".repeat(38) + "...'", ordersError("share", "0." + "0".repeat(16_383) + "1"));
            assertEquals(numeric + "-1e131072'", ordersError("share", "-1e131072"));
            assertEquals(new BigDecimal("1e-16383"), argument("share", "1e-16383"));
            assertEquals("expected a date within PostgreSQL's range, -4713-11-24 (4714 BC) to +5874897-12-31, got '+5874898-01-01'",
                    ordersError("since", "+5874898-01-01"));
            assertEquals("expected a date within PostgreSQL's range, -4713-11-24 (4714 BC) to +5874897-12-31, got '-999999999-01-01'",
                    ordersError("since", "-999999999-01-01"));
            assertEquals(LocalDate.of(-4713, 11, 24), argument("since", "-4713-11-24"));
            assertEquals("expected a timestamp within PostgreSQL's range, -4713-11-24T00:00 (4714 BC) to +294276-12-31T23:59:59.999999, "
                    + "got '+294276-12-31T23:59:59.9999995'", ordersError("at", "+294276-12-31T23:59:59.9999995"));
            assertEquals(LocalDateTime.of(294_276, 12, 31, 23, 59, 59, 999_999_000), argument("at", "+294276-12-31 23:59:59.999999"));
        }

        @Test
        void outOfRange() {
            assertEquals("must be between 60 and 120, got 121", ordersError("days", "121"));
            assertEquals("must be between 60 and 120, got 59", ordersError("days", "59"));
            assertEquals("must be between 0 and 1, got 1.01", ordersError("share", "1.01"));
            assertEquals(List.of(), error(ORDERS, "days", "since", "1995-01-01", "days", "0").allowed());
        }

        @Test
        void notAllowed() {
            RequestException e = error(ORDERS, "segment", "since", "1995-01-01", "segment", "building");
            assertEquals("must be one of AUTOMOBILE, BUILDING, MIDDLE EAST, got 'building'", e.getMessage());
            assertEquals(List.of("AUTOMOBILE", "BUILDING", "MIDDLE EAST"), e.allowed());
        }

        @Test
        void aScalarTakesOneValue() {
            assertEquals("takes one value, got 2",
                    error(ORDERS, "days", "since", "1995-01-01", "days", "70", "days", "80").getMessage());
        }

        @Test
        void unknownParameter() {
            RequestException e = error(ORDERS, "segmnt", "since", "1995-01-01", "segmnt", "BUILDING");
            assertEquals("is neither a parameter of t nor an output column to filter on", e.getMessage());
            assertEquals(
                    List.of("segment", "since", "days", "big", "share", "at", "strict", "ids", "modes", "count", "o_orderkey", "revenue"),
                    e.allowed());
        }

        @Test
        void unknownReservedName() {
            RequestException e = error(ORDERS, "_page", "since", "1995-01-01", "_page", "10");
            assertEquals("is not a parameter Quarry knows", e.getMessage());
            assertEquals(List.of("_sort", "_limit", "_offset", "_after", "_count", "_explain", "_group", "_measures", "_rollup"),
                    e.allowed());
            assertEquals("is not a parameter Quarry knows", error(ORDERS, "_since", "_since", "1995-01-01").getMessage());
        }
    }

    @Nested
    class Sort {

        @Test
        void columnsAscendingOrDescending() {
            assertEquals(List.of(new SortKey("revenue", true), new SortKey("o_orderkey", false)),
                    request(ORDERS, "since", "1995-01-01", "_sort", "-revenue, o_orderkey").ordering());
            assertEquals(List.of(new SortKey("revenue", false), new SortKey("o_orderkey", true)),
                    request(ORDERS, "since", "1995-01-01", "_sort", "revenue", "_sort", "-o_orderkey").ordering());
        }

        @Test
        void onlyDeclaredColumns() {
            RequestException e = error(ORDERS, "_sort", "since", "1995-01-01", "_sort", "revenue,\"revenue\"; DROP TABLE x");
            assertEquals("cannot sort on '\"revenue\"; DROP TABLE x'", e.getMessage());
            assertEquals(List.of("o_orderkey", "revenue"), e.allowed());
            assertEquals("cannot sort on 'segment'", error(ORDERS, "_sort", "since", "1995-01-01", "_sort", "segment").getMessage());
            assertEquals("cannot sort on ''", error(ORDERS, "_sort", "since", "1995-01-01", "_sort", "-").getMessage());
        }

        @Test
        void aColumnOnce() {
            assertEquals("'revenue' is named twice",
                    error(ORDERS, "_sort", "since", "1995-01-01", "_sort", "revenue,-revenue").getMessage());
        }
    }

    @Nested
    class Limit {

        @Test
        void theDefaultLimitAppliesWhenNoneIsGiven() {
            assertEquals(OptionalInt.of(100), Templates.parse(ORDERS, query("since", "1995-01-01"), OptionalInt.of(100)).limit());
            assertEquals(OptionalInt.of(5),
                    Templates.parse(ORDERS, query("since", "1995-01-01", "_limit", "5"), OptionalInt.of(100)).limit());
        }

        @Test
        void fromOneToTenThousand() {
            assertEquals(OptionalInt.of(1), request(ORDERS, "since", "1995-01-01", "_limit", "1").limit());
            assertEquals(OptionalInt.of(10_000), request(ORDERS, "since", "1995-01-01", "_limit", " 10000 ").limit());
            for (String bad : List.of("0", "-5", "10001", "ten", "", "1.5", "99999999999")) {
                assertEquals("must be a whole number from 1 to 10000, got '" + bad + "'",
                        error(ORDERS, "_limit", "since", "1995-01-01", "_limit", bad).getMessage());
            }
        }

        @Test
        void oneValue() {
            assertEquals("takes one value", error(ORDERS, "_limit", "since", "1995-01-01", "_limit", "1", "_limit", "2").getMessage());
        }
    }

    @Nested
    class GroupingNames {

        @Test
        void byDefaultEveryMeasureAndNoDimension() {
            assertEquals(Optional.of(new Grouping(List.of(), List.of("revenue", "orders"))), request(GROUPED).grouping());
        }

        @Test
        void dimensionsAndMeasuresInTheOrderAsked() {
            QueryRequest request = request(GROUPED, "_group", "nation,year", "_measures", "orders");
            assertEquals(Optional.of(new Grouping(List.of("nation", "year"), List.of("orders"))), request.grouping());
        }

        @Test
        void unknownName() {
            RequestException e = error(GROUPED, "_group", "_group", "month");
            assertEquals("'month' is not declared", e.getMessage());
            assertEquals(List.of("year", "nation"), e.allowed());
            RequestException measure = error(GROUPED, "_measures", "_measures", "revenue,year");
            assertEquals("'year' is not declared", measure.getMessage());
            assertEquals(List.of("revenue", "orders"), measure.allowed());
        }

        @Test
        void nameTwice() {
            assertEquals("'year' is named twice", error(GROUPED, "_group", "_group", "year", "_group", "year").getMessage());
        }

        @Test
        void atLeastOneMeasure() {
            RequestException e = error(GROUPED, "_measures", "_measures", "");
            assertEquals("names no measure", e.getMessage());
            assertEquals(List.of("revenue", "orders"), e.allowed());
        }

        @Test
        void notOnAnUngroupedTemplate() {
            assertEquals("t declares no dimensions or measures",
                    error(ORDERS, "_group", "since", "1995-01-01", "_group", "year").getMessage());
            assertEquals("t declares no dimensions or measures",
                    error(ORDERS, "_measures", "since", "1995-01-01", "_measures", "revenue").getMessage());
        }

        @Test
        void sortingIsOnTheGroupedColumns() {
            assertEquals(List.of(new SortKey("orders", true), new SortKey("year", false)),
                    request(GROUPED, "_group", "year", "_sort", "-orders,year").ordering());
            RequestException e = error(GROUPED, "_sort", "_group", "year", "_measures", "revenue", "_sort", "nation");
            assertEquals("cannot sort on 'nation'", e.getMessage());
            assertEquals(List.of("year", "revenue"), e.allowed());
            assertEquals("cannot sort on 'o_orderkey'", error(GROUPED, "_sort", "_sort", "o_orderkey").getMessage());
        }
    }

    @Nested
    class Reserved {

        @Test
        void offsetFromZero() {
            assertEquals(OptionalInt.empty(), request(ORDERS, "since", "1995-01-01").offset());
            assertEquals(OptionalInt.of(0), request(ORDERS, "since", "1995-01-01", "_offset", "0").offset());
            assertEquals(OptionalInt.of(Integer.MAX_VALUE), request(ORDERS, "since", "1995-01-01", "_offset", "2147483647").offset());
            for (String bad : List.of("-1", "ten", "", "2147483648")) {
                assertEquals("must be a whole number from 0 to 2147483647, got '" + bad + "'",
                        error(ORDERS, "_offset", "since", "1995-01-01", "_offset", bad).getMessage());
            }
            assertEquals("takes one value", error(ORDERS, "_offset", "since", "1995-01-01", "_offset", "1", "_offset", "2").getMessage());
        }

        @Test
        void countExactOrPlanned() {
            assertEquals(CountMode.NONE, request(ORDERS, "since", "1995-01-01").count());
            assertEquals(CountMode.EXACT, request(ORDERS, "since", "1995-01-01", "_count", "exact").count());
            assertEquals(CountMode.PLANNED, request(ORDERS, "since", "1995-01-01", "_count", "planned").count());
            RequestException e = error(ORDERS, "_count", "since", "1995-01-01", "_count", "yes");
            assertEquals("is exact or planned, not 'yes'", e.getMessage());
            assertEquals(List.of("exact", "planned"), e.allowed());
        }

        @Test
        void explainIsAFlag() {
            assertFalse(request(ORDERS, "since", "1995-01-01").explain());
            assertTrue(request(ORDERS, "since", "1995-01-01", "_explain", "true").explain());
            assertFalse(request(ORDERS, "since", "1995-01-01", "_explain", "no").explain());
            assertEquals("expected true or false, got 'plan'",
                    error(ORDERS, "_explain", "since", "1995-01-01", "_explain", "plan").getMessage());
        }
    }

    @Nested
    class Filters {

        private final Template template = template("-- t", "-- @param since date = 1995-01-01", "-- @param n int optional",
                "SELECT * FROM t WHERE day >= :since /*[ AND n = :n ]*/");

        private final List<ResultColumn> columns = Templates.columns("n", "integer", "price", "numeric", "name", "text",
                "day", "date", "flag", "boolean", "doc", "jsonb");

        private RequestException filterError(String parameter, String... namesAndValues) {
            RequestException e = assertThrows(RequestException.class, () -> Templates.request(template, columns, namesAndValues));
            assertEquals(parameter, e.parameter(), e.getMessage());
            return e;
        }

        @Test
        void aNameThatIsNoParameterFiltersAnOutputColumn() {
            QueryRequest request = Templates.request(template, columns, "price__gte", "10.5", "name", "x", "day__range",
                    "1995-01-01,1995-02-01", "flag__isnull", "false", "price__in", "1,2");
            assertEquals(List.of(new Filter("price", Lookup.GTE, PgType.NUMERIC, List.of(new BigDecimal("10.5"))),
                    new Filter("name", Lookup.EXACT, PgType.TEXT, List.of("x")),
                    new Filter("day", Lookup.RANGE, PgType.DATE, List.of(LocalDate.of(1995, 1, 1), LocalDate.of(1995, 2, 1))),
                    new Filter("flag", Lookup.ISNULL, PgType.BOOLEAN, List.of(false)),
                    new Filter("price", Lookup.IN, PgType.NUMERIC, List.of(new BigDecimal("1"), new BigDecimal("2")))),
                    request.filters());
            assertEquals(List.of("since"), List.copyOf(request.arguments().keySet()));
        }

        @Test
        void aParameterIsNeverAFilter() {
            QueryRequest request = Templates.request(template, columns, "n", "5");
            assertEquals(5, request.arguments().get("n"));
            assertEquals(List.of(), request.filters());
            assertEquals(List.of(new Filter("n", Lookup.NE, PgType.INTEGER, List.of(5))),
                    Templates.request(template, columns, "n__ne", "5").filters());
        }

        @Test
        void unknownColumn() {
            RequestException e = assertThrows(RequestException.class,
                    () -> Templates.request(template, columns.subList(1, columns.size()), "nme__contains", "x"));
            assertEquals("nme__contains", e.parameter());
            assertEquals("is neither a parameter of t nor an output column to filter on", e.getMessage());
            assertEquals(List.of("since", "n", "price", "name", "day", "flag", "doc"), e.allowed());
        }

        @Test
        void unknownLookup() {
            RequestException e = filterError("name__like", "name__like", "x%");
            assertEquals("has no lookup 'like'", e.getMessage());
            assertEquals(List.of("exact", "ne", "lt", "lte", "gt", "gte", "in", "range", "contains", "icontains", "startswith", "isnull"),
                    e.allowed());
        }

        @Test
        void textLookupsOnTextColumnsOnly() {
            assertEquals("'contains' applies to text columns; n is integer", filterError("n__contains", "n__contains", "1").getMessage());
            assertEquals("'startswith' applies to text columns; day is date",
                    filterError("day__startswith", "day__startswith", "1995").getMessage());
        }

        @Test
        void aColumnWithoutAValueTypeCannotBeFiltered() {
            assertEquals("filters a column of type jsonb, which cannot be filtered", filterError("doc", "doc", "{}").getMessage());
            assertEquals("filters a column of type jsonb, which cannot be filtered",
                    filterError("doc__isnull", "doc__isnull", "true").getMessage());
        }

        @Test
        void valuesAreReadAsTheColumnsType() {
            assertEquals("expected an integer, got 'x'", filterError("n__gt", "n__gt", "x").getMessage());
            assertEquals("expected a date as YYYY-MM-DD, got '1995-13-01'",
                    filterError("day__in", "day__in", "1995-01-01,1995-13-01").getMessage());
            assertEquals("expected true or false, got 'maybe'", filterError("name__isnull", "name__isnull", "maybe").getMessage());
            assertEquals("expected a decimal number, got ''", filterError("price", "price", "").getMessage());
        }

        @Test
        void oneValueEach() {
            assertEquals("takes one value; for several use price__in=a,b",
                    filterError("price", "price", "1", "price", "2").getMessage());
            assertEquals("takes one value; for several use price__in=a,b",
                    filterError("price__gte", "price__gte", "1", "price__gte", "2").getMessage());
        }

        @Test
        void aRangeTakesTwoValues() {
            assertEquals("takes two values, low,high; got '1'", filterError("price__range", "price__range", "1").getMessage());
            assertEquals("takes two values, low,high; got '1,2,3'", filterError("price__range", "price__range", "1,2,3").getMessage());
        }

        @Test
        void inTakesAtMostAThousandValues() {
            assertEquals(1000, Templates.request(template, columns, "n__in", String.join(",", Collections.nCopies(1000, "7")))
                    .filters().get(0).values().size());
            assertEquals("takes at most 1000 values",
                    filterError("n__in", "n__in", String.join(",", Collections.nCopies(1001, "7"))).getMessage());
        }

        @Test
        void atMostFiftyFilters() {
            List<ResultColumn> many = new ArrayList<>();
            List<String> query = new ArrayList<>();
            for (int column = 0; column < 6; column++) {
                many.add(new ResultColumn("c" + column, "integer"));
                for (String lookup : List.of("exact", "ne", "lt", "lte", "gt", "gte", "in", "range", "isnull")) {
                    query.addAll(
                            List.of("c" + column + "__" + lookup, lookup.equals("range") ? "1,2" : lookup.equals("isnull") ? "no" : "1"));
                }
            }
            assertEquals(RequestParser.MAX_FILTERS,
                    Templates.request(template, many, query.subList(0, 100).toArray(String[]::new)).filters().size());
            RequestException e = assertThrows(RequestException.class,
                    () -> Templates.request(template, many, query.subList(0, 102).toArray(String[]::new)));
            assertEquals(query.get(100), e.parameter());
            assertEquals("is one filter too many: a request takes at most 50", e.getMessage());
        }

        @Test
        void aGroupedRequestFiltersItsChosenColumns() {
            List<ResultColumn> described = Templates.columns("year", "integer", "nation", "text", "revenue", "numeric", "orders", "bigint");
            QueryRequest request = Templates.request(GROUPED, described, "_group", "year", "revenue__gt", "5", "year", "1995");
            assertEquals(List.of(new Filter("revenue", Lookup.GT, PgType.NUMERIC, List.of(new BigDecimal("5"))),
                    new Filter("year", Lookup.EXACT, PgType.INTEGER, List.of(1995))), request.filters());
            assertEquals(Templates.columns("year", "integer", "revenue", "numeric", "orders", "bigint"), request.columns());
            RequestException e = assertThrows(RequestException.class,
                    () -> Templates.request(GROUPED, described, "_group", "year", "nation", "FRANCE"));
            assertEquals("nation", e.parameter());
            assertEquals("is neither a parameter of t nor an output column to filter on", e.getMessage());
            assertEquals(List.of("since", "year", "revenue", "orders"), e.allowed());
        }
    }

    @Nested
    class Ordering {

        private final Template template = template("-- t", "-- @sort day, price, name, id", "-- @key id", "-- @order -price, day",
                "SELECT id, day, price, name, doc FROM t");

        private final List<ResultColumn> columns = Templates.columns("id", "integer", "day", "date", "price", "numeric", "name", "text",
                "doc", "jsonb");

        @Test
        void theDeclaredOrderCompletedByTheKey() {
            QueryRequest request = Templates.request(template, columns);
            assertEquals(List.of(new SortKey("price", true), new SortKey("day", false), new SortKey("id", false)), request.ordering());
            assertTrue(request.keyed());
        }

        @Test
        void aRequestedSortReplacesTheDeclaredOrder() {
            assertEquals(List.of(new SortKey("name", false), new SortKey("id", false)),
                    Templates.request(template, columns, "_sort", "name").ordering());
            assertEquals(List.of(new SortKey("id", true), new SortKey("name", false)),
                    Templates.request(template, columns, "_sort", "-id,name").ordering());
        }

        @Test
        void withoutAKeyTheOrderingIsTheSortAloneAndNotKeyed() {
            QueryRequest request = request(ORDERS, "since", "1995-01-01", "_sort", "revenue");
            assertEquals(List.of(new SortKey("revenue", false)), request.ordering());
            assertFalse(request.keyed());
        }

        @Test
        void keyedOnlyWhenEveryOrderingColumnHasAValueType() {
            Template untyped = template("-- t", "-- @sort doc", "-- @key id", "SELECT id, doc FROM t");
            List<ResultColumn> described = Templates.columns("id", "integer", "doc", "jsonb");
            assertTrue(Templates.request(untyped, described).keyed());
            QueryRequest request = Templates.request(untyped, described, "_sort", "doc");
            assertEquals(List.of(new SortKey("doc", false), new SortKey("id", false)), request.ordering());
            assertFalse(request.keyed());
        }

        @Test
        void aGroupedRequestIsKeyedByItsDimensions() {
            QueryRequest request = request(GROUPED, "_group", "nation,year", "_sort", "-orders");
            assertEquals(List.of(new SortKey("orders", true), new SortKey("nation", false), new SortKey("year", false)),
                    request.ordering());
            assertTrue(request.keyed());
            assertEquals(List.of(), request(GROUPED).ordering());
            assertFalse(request(GROUPED).keyed());
        }

        @Test
        void aGroupedRequestKeepsTheDeclaredOrderOfTheColumnsItChose() {
            Template grouped = template("-- Revenue", "-- @sort year, revenue, orders", "-- @order -revenue, year",
                    "-- @dimension year: extract(year from o_orderdate)", "-- @measure revenue: sum(price)", "-- @measure orders: count(*)",
                    "SELECT * FROM orders");
            List<ResultColumn> described = Templates.columns("year", "integer", "revenue", "numeric", "orders", "bigint");
            assertEquals(List.of(new SortKey("revenue", true), new SortKey("year", false)),
                    Templates.request(grouped, described, "_group", "year").ordering());
            assertEquals(List.of(new SortKey("year", false)),
                    Templates.request(grouped, described, "_group", "year", "_measures", "orders").ordering());
            assertEquals(List.of(new SortKey("revenue", true)), Templates.request(grouped, described, "_measures", "revenue").ordering());
            assertEquals(List.of(), Templates.request(grouped, described, "_measures", "orders").ordering());
        }

        @Test
        void theSignatureNamesTheGroupingAndTheOrdering() {
            assertEquals("-price,+day,+id,", Templates.request(template, columns).orderingSignature());
            assertEquals("+price,+id,", Templates.request(template, columns, "_sort", "price").orderingSignature());
            assertEquals("", request(ORDERS, "since", "1995-01-01").orderingSignature());
            assertEquals("[nation, year][orders]-orders,+nation,+year,",
                    request(GROUPED, "_group", "nation,year", "_measures", "orders", "_sort", "-orders").orderingSignature());
            assertEquals("[nation, year][revenue, orders]+nation,+year,", request(GROUPED, "_group", "nation,year").orderingSignature());
            assertEquals("[][revenue, orders]", request(GROUPED).orderingSignature());
        }
    }

    /** {@code _after} and an SSE client's {@code Last-Event-ID}: a signed cursor for this template and ordering. */
    @Nested
    class After {

        private final Template template = template("-- t", "-- @sort day, price, name, id", "-- @key id", "-- @order -price",
                "SELECT id, day, price, name FROM t");

        private final List<ResultColumn> columns = Templates.columns("id", "integer", "day", "date", "price", "numeric", "name", "text");

        private final QueryRequest shape = Templates.request(template, columns);

        private RequestException afterError(String token, String... namesAndValues) {
            List<String> query = new ArrayList<>(List.of(namesAndValues));
            query.addAll(List.of("_after", token));
            RequestException e = assertThrows(RequestException.class,
                    () -> Templates.request(template, columns, query.toArray(String[]::new)));
            assertEquals("_after", e.parameter(), e.getMessage());
            return e;
        }

        @Test
        void theCursorsValuesTypedByTheirColumns() {
            QueryRequest request = Templates.request(template, columns, "_after", Templates.cursor(template, shape, "10.50", "7"));
            assertEquals(Optional.of(List.of(new BigDecimal("10.50"), 7)), request.after());
            assertEquals(shape.ordering(), request.ordering());
            assertTrue(request.keyed());
            assertEquals(Optional.empty(), shape.after());
        }

        @Test
        void nullsStayNull() {
            QueryRequest sorted = Templates.request(template, columns, "_sort", "-day,name");
            QueryRequest request = Templates.request(template, columns, "_sort", "-day,name", "_after",
                    Templates.cursor(template, sorted, null, "x", "7"));
            assertEquals(Optional.of(java.util.Arrays.asList(null, "x", 7)), request.after());
        }

        @Test
        void theLastEventIdOfAStreamIsACursorAndAfterWins() {
            String first = Templates.cursor(template, shape, "10.50", "7");
            String second = Templates.cursor(template, shape, "9", "8");
            assertEquals(Optional.of(List.of(new BigDecimal("10.50"), 7)),
                    Templates.parse(template, columns, Map.of(), Optional.of(first)).after());
            assertEquals(Optional.of(List.of(new BigDecimal("9"), 8)),
                    Templates.parse(template, columns, query("_after", second), Optional.of(first)).after());
            RequestException e = assertThrows(RequestException.class,
                    () -> Templates.parse(template, columns, Map.of(), Optional.of("garbage")));
            assertEquals("_after", e.parameter());
        }

        @Test
        void aCursorOfAnotherOrderingIsRefused() {
            String token = Templates.cursor(template, shape, "10.50", "7");
            assertEquals("is not a cursor this service issued for this query and ordering",
                    afterError(token, "_sort", "price").getMessage());
            assertEquals("is not a cursor this service issued for this query and ordering",
                    afterError(token, "_sort", "-name").getMessage());
        }

        @Test
        void aCursorOfAnotherTemplateIsRefused() {
            Template other = template("-- t", "-- @sort day, price, name, id", "-- @key id", "-- @order -price",
                    "SELECT id, day, price, name FROM u");
            Template renamed = library("u", Templates.file("-- u", "-- @sort day, price, name, id", "-- @key id", "-- @order -price",
                    "SELECT id, day, price, name FROM t")).get("u");
            assertEquals(Optional.of(List.of(new BigDecimal("1"), 2)), Templates.request(template, columns, "_after",
                    Templates.cursor(other, Templates.request(other, columns), "1", "2")).after(), "the same name and ordering");
            assertEquals("is not a cursor this service issued for this query and ordering",
                    afterError(Templates.cursor(renamed, Templates.request(renamed, columns), "1", "2")).getMessage());
        }

        @Test
        void aTamperedCursorIsRefused() {
            String token = Templates.cursor(template, shape, "10.50", "7");
            String forged = java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString("[\"99\",\"7\"]".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    + token.substring(token.indexOf('.'));
            assertEquals("is not a cursor this service issued for this query and ordering", afterError(forged).getMessage());
            assertEquals("is not a cursor this service issued", afterError("not a cursor").getMessage());
            afterError("");
            afterError(token.substring(0, token.indexOf('.')));
            afterError(token + "A");
        }

        @Test
        void aCursorWithTheWrongNumberOfValuesIsRefused() {
            assertEquals("is not a cursor this service issued for this query and ordering",
                    afterError(Templates.cursor(template, shape, "10.50")).getMessage());
            assertEquals("is not a cursor this service issued for this query and ordering",
                    afterError(Templates.cursor(template, shape, "10.50", "7", "8")).getMessage());
        }

        @Test
        void onlyAKeyedOrderingContinues() {
            RequestException e = assertThrows(RequestException.class,
                    () -> request(ORDERS, "since", "1995-01-01", "_sort", "revenue", "_after", "x"));
            assertEquals("_after", e.parameter());
            assertEquals("needs an ordering that ends with the row key; t declares no @key", e.getMessage());
            RequestException grouped = assertThrows(RequestException.class, () -> request(GROUPED, "_after", "x"));
            assertEquals("needs an ordering that ends with the row key; t declares no @key (a grouped request is keyed by its _group)",
                    grouped.getMessage());
        }

        @Test
        void aGroupedRequestContinuesAfterItsDimensions() {
            List<ResultColumn> described = Templates.columns("year", "integer", "nation", "text", "revenue", "numeric", "orders", "bigint");
            QueryRequest grouped = Templates.request(GROUPED, described, "_group", "year");
            String token = Templates.cursor(GROUPED, grouped, "1995");
            assertEquals(Optional.of(List.of(1995)), Templates.request(GROUPED, described, "_group", "year", "_after", token).after());
            RequestException e = assertThrows(RequestException.class,
                    () -> Templates.request(GROUPED, described, "_group", "year", "_measures", "orders", "_after", token));
            assertEquals("is not a cursor this service issued for this query and ordering", e.getMessage());
        }
    }
}
