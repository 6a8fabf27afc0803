package dev.quarry.render;

import static dev.quarry.render.Templates.query;
import static dev.quarry.render.Templates.request;
import static dev.quarry.render.Templates.template;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
            assertArrayEquals(new String[] {"MAIL", "SHIP"}, (String[]) request.arguments().get("modes"));
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
            assertArrayEquals(new Integer[] {3, 1, 2}, (Integer[]) ids);
        }

        @Test
        void valuesSplitOnCommasAndRepetition() {
            assertArrayEquals(new Integer[] {1, 2, 3, 4}, (Integer[]) argument("ids", "1,2", "3", "4"));
            assertArrayEquals(new String[] {"REG AIR", "MAIL", "SHIP"}, (String[]) argument("modes", "REG AIR,MAIL", "SHIP"));
            assertArrayEquals(new String[] {"a", "", "b"}, (String[]) argument("modes", "a,,b"));
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
            assertEquals("is not a parameter of t", e.getMessage());
            assertEquals(List.of("segment", "since", "days", "big", "share", "at", "strict", "ids", "modes", "count"), e.allowed());
        }

        @Test
        void unknownReservedName() {
            RequestException e = error(ORDERS, "_offset", "since", "1995-01-01", "_offset", "10");
            assertEquals("is not a parameter Quarry knows", e.getMessage());
            assertEquals(List.of("_sort", "_limit", "_group", "_measures"), e.allowed());
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
            assertEquals("'revenue' is named twice", error(ORDERS, "_sort", "since", "1995-01-01", "_sort", "revenue,-revenue").getMessage());
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
            assertEquals("t declares no dimensions or measures", error(ORDERS, "_group", "since", "1995-01-01", "_group", "year").getMessage());
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
}
