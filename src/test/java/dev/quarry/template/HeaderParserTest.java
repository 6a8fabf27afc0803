package dev.quarry.template;

import static dev.quarry.template.TemplateText.parse;
import static dev.quarry.template.TemplateText.parseError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The comment header: summary, description and tags; through {@link TemplateParser}. */
class HeaderParserTest {

    @Test
    void readsEveryTag() {
        Template template = parse(
                "-- Revenue by nation",
                "--",
                "-- What each nation's customers paid,",
                "-- year by year.",
                "--",
                "-- @param region text = 'MIDDLE EAST' in AFRICA|'MIDDLE EAST'|ASIA -- region of the customers",
                "-- @param since date = 1994-01-01 range 1993-01-01..1997-12-31",
                "-- @param nations text[] optional -- nation names",
                "-- @param share numeric = 0.5 range 0..1",
                "-- @param top bigint optional range 1..100",
                "-- @param at timestamp = '1995-01-01 12:00' -- a moment",
                "-- @param strict boolean = yes",
                "-- @param sizes int[] = 1,2,3 in 1|2|3|4",
                "-- @sort nation, revenue",
                "-- @key nation,year",
                "-- @order -revenue, nation",
                "-- @dimension nation: n_name",
                "-- @dimension year: extract(year from o_orderdate)",
                "-- @measure revenue: sum(l_extendedprice * (1 - l_discount))",
                "-- @roles analyst, admin",
                "-- @timeout 30s",
                "SELECT :region, :since, :share, :at, :strict, :sizes",
                "/*[ AND :nations AND :top ]*/");
        assertEquals("Revenue by nation", template.header().summary());
        assertEquals("What each nation's customers paid, year by year.", template.header().description());
        assertEquals(List.of("region", "since", "nations", "share", "top", "at", "strict", "sizes"),
                List.copyOf(template.parameters().keySet()));

        ParameterSpec region = template.parameters().get("region");
        assertEquals(ParamType.TEXT, region.type());
        assertEquals(Optional.of("MIDDLE EAST"), region.defaultValue());
        assertEquals(List.of("AFRICA", "MIDDLE EAST", "ASIA"), region.allowed());
        assertEquals("region of the customers", region.description());
        assertFalse(region.required());

        ParameterSpec since = template.parameters().get("since");
        assertEquals(Optional.of(LocalDate.of(1993, 1, 1)), since.min().map(Object.class::cast));
        assertEquals(Optional.of(LocalDate.of(1997, 12, 31)), since.max().map(Object.class::cast));

        ParameterSpec nations = template.parameters().get("nations");
        assertTrue(nations.list());
        assertTrue(nations.optional());
        assertFalse(nations.required());
        assertEquals("text[]", nations.typeName());

        assertEquals(Optional.of(new BigDecimal("0.5")), template.parameters().get("share").defaultValue());
        assertEquals(ParamType.BIGINT, template.parameters().get("top").type());
        assertEquals(Optional.of(100L), template.parameters().get("top").max().map(Object.class::cast));
        assertEquals(Optional.of(java.time.LocalDateTime.of(1995, 1, 1, 12, 0)), template.parameters().get("at").defaultValue());
        assertEquals(Optional.of(true), template.parameters().get("strict").defaultValue());
        assertArrayEquals(new Integer[] { 1, 2, 3 }, (Integer[]) template.parameters().get("sizes").defaultValue().orElseThrow());

        assertEquals(List.of("nation", "revenue"), template.header().sortable());
        assertEquals(List.of("nation", "year"), template.header().key());
        assertEquals(List.of(new SortKey("revenue", true), new SortKey("nation", false)), template.header().order());
        assertEquals(Map.of("nation", "n_name", "year", "extract(year from o_orderdate)"), template.header().dimensions());
        assertEquals(List.of("nation", "year"), List.copyOf(template.header().dimensions().keySet()));
        assertEquals(Map.of("revenue", "sum(l_extendedprice * (1 - l_discount))"), template.header().measures());
        assertTrue(template.grouped());
        assertEquals(List.of("analyst", "admin"), template.header().roles());
        assertEquals(Optional.of(Duration.ofSeconds(30)), template.header().timeout());
    }

    @Test
    void aParameterWithoutDefaultOrOptionalIsRequired() {
        ParameterSpec x = parse("-- t", "-- @param x int", "SELECT :x").parameters().get("x");
        assertTrue(x.required());
        assertEquals(Optional.empty(), x.defaultValue());
        assertEquals("", x.description());
    }

    @Test
    void timeoutUnits() {
        assertEquals(Optional.of(Duration.ofMillis(500)), parse("-- t", "-- @timeout 500ms", "SELECT 1").header().timeout());
        assertEquals(Optional.of(Duration.ofMinutes(2)), parse("-- t", "-- @timeout 2m", "SELECT 1").header().timeout());
        assertEquals(Optional.empty(), parse("-- t", "SELECT 1").header().timeout());
    }

    @Test
    void cacheUnits() {
        assertEquals(Optional.of(Duration.ofMillis(500)), parse("-- t", "-- @cache 500ms", "SELECT 1").header().cache());
        assertEquals(Optional.of(Duration.ofSeconds(30)), parse("-- t", "-- @cache 30s", "SELECT 1").header().cache());
        assertEquals(Optional.of(Duration.ofMinutes(5)), parse("-- t", "-- @cache 5m", "SELECT 1").header().cache());
        assertEquals(Optional.of(Duration.ofHours(168)), parse("-- t", "-- @cache 168h", "SELECT 1").header().cache());
        assertEquals(Optional.of(Duration.ZERO), parse("-- t", "-- @cache off", "SELECT 1").header().cache());
        assertEquals(Optional.empty(), parse("-- t", "SELECT 1").header().cache());
    }

    @Test
    void planCustomIsDeclaredOrLeftToPostgresql() {
        assertTrue(parse("-- t", "-- @plan custom", "SELECT 1").header().customPlan());
        assertFalse(parse("-- t", "SELECT 1").header().customPlan());
    }

    @Test
    void budgetBoundsCostRowsOrBothOrIsOff() {
        assertEquals(Optional.of(new Budget(OptionalDouble.of(500_000), OptionalLong.empty())),
                parse("-- t", "-- @budget cost 500000", "SELECT 1").header().budget());
        Budget both = parse("-- t", "-- @budget rows 100000 , cost 2e6", "SELECT 1").header().budget().orElseThrow();
        assertEquals(new Budget(OptionalDouble.of(2_000_000), OptionalLong.of(100_000)), both);
        assertEquals("cost 2000000, rows 100000", both.toString());
        assertTrue(both.allows(2_000_000, 100_000));
        assertFalse(both.allows(2_000_000.5, 1));
        assertFalse(both.allows(1, 100_001));
        assertEquals(Optional.of(Budget.NONE), parse("-- t", "-- @budget off", "SELECT 1").header().budget());
        assertFalse(Budget.NONE.bounded());
        assertEquals(Optional.empty(), parse("-- t", "SELECT 1").header().budget());
    }

    @Test
    void orderIsWrittenAsSortWritesIt() {
        assertEquals(List.of(new SortKey("revenue", true), new SortKey("o_orderdate", false), new SortKey("id", false)),
                parse("-- t", "-- @order -revenue,o_orderdate , id", "SELECT 1").header().order());
        assertEquals(List.of(), parse("-- t", "SELECT 1").header().order());
    }

    @Test
    void theSummaryMayFollowEmptyCommentLinesAndTheBodyStartsAfterBlankLines() {
        Template template = parse("--", "-- Summary", "", "-- @param x int", "", "SELECT :x");
        assertEquals("Summary", template.header().summary());
        assertEquals("", template.header().description());
        assertEquals(new Fragment.Param("x", 6), template.body().get(1));
    }

    @Nested
    class Errors {

        @Test
        void noSummary() {
            assertEquals("a template starts with a comment line that says what it answers", parseError(1, "SELECT 1"));
            parseError(1, "-- @param x int", "SELECT :x");
        }

        @Test
        void noSql() {
            assertEquals("the template has a header but no SQL after it", parseError(3, "-- t", "-- @param x int"));
        }

        @Test
        void unknownTag() {
            assertEquals("unknown tag @params; the tags are @param, @sort, @key, @order, @dimension, @measure, @roles, @timeout, @cache, "
                    + "@plan, @budget, @group, @rollup",
                    parseError(3, "-- t", "--", "-- @params x int", "SELECT :x"));
        }

        @Test
        void planOtherThanCustom() {
            assertEquals("@plan takes custom (each run planned for its own values), not 'generic'; without @plan PostgreSQL chooses",
                    parseError(2, "-- t", "-- @plan generic", "SELECT 1"));
            parseError(2, "-- t", "-- @plan", "SELECT 1");
        }

        @Test
        void budgetThatCannotBeRead() {
            assertEquals("'500000' is not a bound; write it as cost N, rows N or both (cost 500000, rows 100000), or off",
                    parseError(3, "-- t", "-- @param x int", "-- @budget 500000", "SELECT :x"));
            assertEquals("cost must be a positive number, not '-5'", parseError(2, "-- t", "-- @budget cost -5", "SELECT 1"));
            assertEquals("cost takes a number such as 500000 or 2e6, not 'lots'",
                    parseError(2, "-- t", "-- @budget cost lots", "SELECT 1"));
            assertEquals("rows must be a whole number, not '1.5'", parseError(2, "-- t", "-- @budget rows 1.5", "SELECT 1"));
            assertEquals("'time' is neither cost nor rows; write it as cost N, rows N or both (cost 500000, rows 100000), or off",
                    parseError(2, "-- t", "-- @budget time 5", "SELECT 1"));
            assertEquals("cost is given twice", parseError(2, "-- t", "-- @budget cost 5, cost 6", "SELECT 1"));
            assertEquals("@budget is declared twice", parseError(3, "-- t", "-- @budget cost 5", "-- @budget rows 6", "SELECT 1"));
            parseError(2, "-- t", "-- @budget", "SELECT 1");
            parseError(2, "-- t", "-- @budget cost NaN", "SELECT 1");
        }

        @Test
        void badType() {
            assertEquals("unknown type 'integer'; use one of text, int, bigint, numeric, date, timestamp, boolean, "
                    + "or a list of one of these such as int[]", parseError(2, "-- t", "-- @param x integer", "SELECT :x"));
            parseError(2, "-- t", "-- @param x int[][]", "SELECT :x");
        }

        @Test
        void declarationWithoutType() {
            assertEquals("write @param NAME TYPE [= DEFAULT] [optional] [range LO..HI] [in A|B|C] [-- description]",
                    parseError(2, "-- t", "-- @param x", "SELECT :x"));
        }

        @Test
        void badName() {
            assertEquals("'1x' is not a name (letters, digits and _, not starting with a digit)",
                    parseError(2, "-- t", "-- @param 1x int", "SELECT 1"));
            parseError(3, "-- t", "--", "-- @sort a, b-c", "SELECT 1");
            parseError(2, "-- t", "-- @key", "SELECT 1");
            parseError(2, "-- t", "-- @roles admin;", "SELECT 1");
            assertEquals("'revenue desc' is not a name (letters, digits and _, not starting with a digit)",
                    parseError(2, "-- t", "-- @order revenue desc", "SELECT 1"));
            assertEquals("'' is not a name (letters, digits and _, not starting with a digit)",
                    parseError(2, "-- t", "-- @order -", "SELECT 1"));
            parseError(2, "-- t", "-- @order --revenue", "SELECT 1");
        }

        @Test
        void badRange() {
            assertEquals("range is written LO..HI, not '1-10'", parseError(2, "-- t", "-- @param x int range 1-10", "SELECT :x"));
            assertEquals("range 10..1 is empty: its low end is above its high end",
                    parseError(3, "-- t", "--", "-- @param x int range 10..1", "SELECT :x"));
            assertEquals("expected an integer, got 'ten'", parseError(2, "-- t", "-- @param x int range 1..ten", "SELECT :x"));
            assertEquals("expected a date as YYYY-MM-DD, got '1994-13-01'",
                    parseError(2, "-- t", "-- @param x date range 1994-01-01..1994-13-01", "SELECT :x"));
            assertEquals("a boolean has no range", parseError(2, "-- t", "-- @param x boolean range 0..1", "SELECT :x"));
            assertEquals("'range' needs a value after it", parseError(2, "-- t", "-- @param x int range", "SELECT :x"));
        }

        @Test
        void aRangeOfOneValueIsFine() {
            assertEquals(Optional.of(5), parse("-- t", "-- @param x int range 5..5", "SELECT :x").parameters().get("x").min()
                    .map(Object.class::cast));
        }

        @Test
        void defaultOutsideTheRange() {
            assertEquals("the default of 'delta' must be between 60 and 120, got 121",
                    parseError(4, "-- t", "--", "-- @param a int", "-- @param delta int = 121 range 60..120", "SELECT :a, :delta"));
        }

        @Test
        void defaultNotAmongAllowedValues() {
            assertEquals("the default of 'segment' must be one of AUTOMOBILE, BUILDING, got 'HOUSE'",
                    parseError(2, "-- t", "-- @param segment text = HOUSE in AUTOMOBILE|BUILDING", "SELECT :segment"));
            assertEquals("the default of 'sizes' must be one of 1, 2, got '3'",
                    parseError(2, "-- t", "-- @param sizes int[] = 1,3 in 1|2", "SELECT :sizes"));
        }

        @Test
        void defaultOfTheWrongType() {
            assertEquals("the default of 'n' expected an integer, got '1.5'", parseError(2, "-- t", "-- @param n int = 1.5", "SELECT :n"));
        }

        @Test
        void allowedValueOfTheWrongType() {
            assertEquals("expected true or false, got 'maybe'", parseError(2, "-- t", "-- @param b boolean in true|maybe", "SELECT :b"));
        }

        @Test
        void optionalWithDefault() {
            String reason = "parameter 'x' has a default, so it is never absent: drop 'optional'";
            assertEquals(reason, parseError(2, "-- t", "-- @param x int = 5 optional", "SELECT 1 /*[ :x ]*/"));
            assertEquals(reason, parseError(2, "-- t", "-- @param x int optional = 5", "SELECT 1 /*[ :x ]*/"));
        }

        @Test
        void duplicateParameter() {
            assertEquals("parameter 'x' is declared twice",
                    parseError(5, "-- t", "-- @param x int", "-- @param y int", "--", "-- @param x text", "SELECT :x, :y"));
        }

        @Test
        void notUnderstood() {
            assertEquals("'between' is not understood in @param x; expected = DEFAULT, optional, range LO..HI or in A|B|C",
                    parseError(2, "-- t", "-- @param x int between 1..2", "SELECT :x"));
            assertEquals("'=' needs a value after it", parseError(2, "-- t", "-- @param x int =", "SELECT :x"));
            assertEquals("'in' needs a value after it", parseError(2, "-- t", "-- @param x int in", "SELECT :x"));
        }

        @Test
        void unclosedQuote() {
            assertEquals("a quote is never closed", parseError(2, "-- t", "-- @param x text = 'MIDDLE EAST", "SELECT :x"));
        }

        @Test
        void badTimeout() {
            assertEquals("@timeout takes a duration such as 500ms, 30s or 2m, not '30'",
                    parseError(2, "-- t", "-- @timeout 30", "SELECT 1"));
            parseError(2, "-- t", "-- @timeout 1h", "SELECT 1");
        }

        @Test
        void badCache() {
            assertEquals("@cache takes a duration such as 30s, 5m or 1h (or off), not '5 minutes'",
                    parseError(3, "-- t", "--", "-- @cache 5 minutes", "SELECT 1"));
            assertEquals("@cache takes a duration such as 30s, 5m or 1h (or off), not ''", parseError(2, "-- t", "-- @cache", "SELECT 1"));
            for (String cache : List.of("0s", "169h", "9999999999999m")) {
                assertEquals("@cache must be from 1ms to 7d (168h), not '" + cache + "'; write off for no caching",
                        parseError(2, "-- t", "-- @cache " + cache, "SELECT 1"));
            }
        }

        @Test
        void aTimeoutPostgresCannotTakeIsRefusedNotOverflowed() {
            // found by TemplateParserFuzzTest's kind of input: 999999999999999999m overflowed Duration with an ArithmeticException
            for (String timeout : List.of("999999999999999999m", "99999999999999999999999s", "2147483648ms", "35792m", "0s", "00ms")) {
                assertEquals("@timeout must be from 1ms to 2147483647ms (PostgreSQL's largest statement_timeout, about 24 days), not '"
                        + timeout + "'", parseError(2, "-- t", "-- @timeout " + timeout, "SELECT 1"));
            }
            assertEquals(Optional.of(Duration.ofMillis(Integer.MAX_VALUE)),
                    parse("-- t", "-- @timeout 2147483647ms", "SELECT 1").header().timeout());
            assertEquals(Optional.of(Duration.ofMinutes(35791)), parse("-- t", "-- @timeout 35791m", "SELECT 1").header().timeout());
            assertEquals(Optional.of(Duration.ofSeconds(30)), parse("-- t", "-- @timeout 0030s", "SELECT 1").header().timeout());
        }

        @Test
        void badDimensionOrMeasure() {
            assertEquals("write it as name: SQL expression, not 'year'", parseError(2, "-- t", "-- @dimension year", "SELECT 1"));
            assertEquals("write it as name: SQL expression, not 'total:'", parseError(2, "-- t", "-- @measure total:", "SELECT 1"));
            assertEquals("'total' is declared twice",
                    parseError(3, "-- t", "-- @measure total: sum(a)", "-- @measure total: sum(b)", "SELECT 1"));
            assertEquals("'my year' is not a name (letters, digits and _, not starting with a digit)",
                    parseError(2, "-- t", "-- @dimension my year: 1", "SELECT 1"));
        }
    }

    @Test
    void errorsCarryTheirSource() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> TemplateParser.parse("tpch/x", "queries/tpch/x.sql", "-- t\n-- @param x int range 2..1\nSELECT :x\n"));
        assertEquals("queries/tpch/x.sql:2: range 2..1 is empty: its low end is above its high end", e.getMessage());
        assertEquals("queries/tpch/x.sql", e.source());
        assertEquals(2, e.line());
        assertEquals("range 2..1 is empty: its low end is above its high end", e.reason());
    }
}
