package dev.quarry.render;

import static dev.quarry.render.Templates.file;
import static dev.quarry.render.Templates.library;
import static dev.quarry.render.Templates.render;
import static dev.quarry.render.Templates.template;
import static dev.quarry.render.Templates.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.quarry.render.QueryRenderer.Placeholder;
import dev.quarry.template.ResultColumn;
import dev.quarry.template.SortKey;
import dev.quarry.template.SourcePosition;
import dev.quarry.template.Template;
import dev.quarry.template.TemplateFiles;
import dev.quarry.template.TemplateLibrary;
import dev.quarry.template.TemplateParser;

/** SQL and bound values written by {@link QueryRenderer}. */
class QueryRendererTest {

    @Nested
    class Parameters {

        @Test
        void theSameNameBindsOnceInTheOrderOfFirstUse() {
            Template template = template("-- t", "-- @param a int", "-- @param b text", "SELECT :b, :a, :b::text, ':a' -- :b");
            RenderedQuery query = render(template, "a", "1", "b", "x");
            assertEquals("SELECT $1, $2, $1::text, ':a' -- :b\n", query.sql());
            assertEquals(List.of("x", 1), query.values());
        }

        @Test
        void literalsCommentsAndCastsAreCopied() {
            Template template = template("-- t", "-- @param x int",
                    "SELECT ':x', E'\\':x', \"a:x\", $$ :x $$, $q$ ' :x $q$, x::int /* :x /* :x */ */ -- :x",
                    "FROM t WHERE a = :x;");
            assertEquals("SELECT ':x', E'\\':x', \"a:x\", $$ :x $$, $q$ ' :x $q$, x::int /* :x /* :x */ */ -- :x\nFROM t WHERE a = $1\n",
                    render(template, "x", "7").sql());
        }

        @Test
        void aListIsBoundAsOneArray() {
            Template template = template("-- t", "-- @param ids int[]", "-- @param days date[] = 1995-01-01,1995-02-01",
                    "SELECT * FROM t WHERE id = ANY(:ids) AND day = ANY(:days) AND :ids <> '{}'");
            RenderedQuery query = render(template, "ids", "3,1", "ids", "2");
            assertEquals("SELECT * FROM t WHERE id = ANY($1) AND day = ANY($2) AND $1 <> '{}'\n", query.sql());
            assertArrayEquals(new Integer[] { 3, 1, 2 }, assertInstanceOf(Integer[].class, query.values().get(0)));
            assertArrayEquals(new LocalDate[] { LocalDate.of(1995, 1, 1), LocalDate.of(1995, 2, 1) },
                    assertInstanceOf(LocalDate[].class, query.values().get(1)));
        }

        @Test
        void requestTextNeverBecomesSql() {
            Template template = template("-- t", "-- @param name text", "-- @param tags text[]", "-- @sort a",
                    "SELECT a FROM t WHERE name = :name AND tags && :tags");
            String evil = "x'; DROP TABLE t; --";
            RenderedQuery query = render(template, "name", evil, "tags", "*/ $1 :name", "_sort", "a", "_limit", "3");
            assertEquals("SELECT * FROM (SELECT a FROM t WHERE name = $1 AND tags && $2\n) AS q ORDER BY \"a\" ASC NULLS LAST LIMIT $3",
                    query.sql());
            assertEquals(List.of(evil, List.of("*/ $1 :name"), 3L), values(query));
        }
    }

    @Nested
    class OptionalBlocks {

        private final Template template = template(
                "-- t",
                "-- @param region text optional",
                "-- @param nation text optional",
                "-- @param min int = 0",
                "SELECT * FROM t WHERE v >= :min",
                "/*[ AND region = :region /*[ AND nation = :nation ]*/ ]*/",
                "/*[ AND x > :min ]*/ /*[ AND true ]*/");

        @Test
        void aBlockGoesWhenAParameterInItHasNoValue() {
            RenderedQuery query = render(template);
            assertEquals("SELECT * FROM t WHERE v >= $1\n\n AND x > $1   AND true \n", query.sql());
            assertEquals(List.of(0), query.values());
        }

        @Test
        void aBlockStaysWhenEveryParameterDirectlyInItHasAValue() {
            RenderedQuery query = render(template, "region", "EU");
            assertEquals("SELECT * FROM t WHERE v >= $1\n AND region = $2  \n AND x > $1   AND true \n", query.sql());
            assertEquals(List.of(0, "EU"), query.values());
        }

        @Test
        void nestedBlocksDecideForThemselves() {
            RenderedQuery both = render(template, "region", "EU", "nation", "FR", "min", "5");
            assertEquals("SELECT * FROM t WHERE v >= $1\n AND region = $2  AND nation = $3  \n AND x > $1   AND true \n", both.sql());
            assertEquals(List.of(5, "EU", "FR"), both.values());
        }

        @Test
        void anInnerBlockGoesWithItsOuterBlock() {
            RenderedQuery query = render(template, "nation", "FR");
            assertEquals("SELECT * FROM t WHERE v >= $1\n\n AND x > $1   AND true \n", query.sql());
            assertEquals(List.of(0), query.values());
        }

        @Test
        void numberingFollowsTheKeptText() {
            Template numbered = template("-- t", "-- @param a int optional", "-- @param b int", "SELECT 1 /*[ + :a ]*/ + :b /*[ + :a ]*/");
            assertEquals("SELECT 1  + $1 \n", render(numbered, "b", "2").sql());
            assertEquals("SELECT 1  + $1  + $2  + $1 \n", render(numbered, "b", "2", "a", "1").sql());
            assertEquals(List.of(1, 2), render(numbered, "b", "2", "a", "1").values());
        }

        @Test
        void renderEverythingKeepsEveryBlockAndRenderMinimalDropsTheOptionalOnes() {
            RenderedQuery everything = QueryRenderer.renderEverything(template);
            assertEquals("SELECT * FROM t WHERE v >= $1\n AND region = $2  AND nation = $3  \n AND x > $1   AND true \n",
                    everything.sql());
            assertEquals(List.of(new Placeholder("min"), new Placeholder("region"), new Placeholder("nation")), everything.values());
            RenderedQuery minimal = QueryRenderer.renderMinimal(template);
            assertEquals("SELECT * FROM t WHERE v >= $1\n\n AND x > $1   AND true \n", minimal.sql());
            assertEquals(List.of(new Placeholder("min")), minimal.values());
        }
    }

    @Nested
    class Layers {

        private final Map<String, Template> templates = library(
                "d", file("-- D", "-- @param n int", "-- @param m int", "SELECT :n + :m + :n AS v"),
                "top", file("-- Top", "-- @param k int", "SELECT :k, v FROM {{d(n = :k, m = 2)}} x"),
                "fixed", file("-- Fixed", "SELECT v FROM {{d(n = 5, m = 5)}} x"));

        @Test
        void aRenamedParameterIsTheParentsParameter() {
            RenderedQuery query = render(templates.get("top"), "k", "9");
            assertEquals("SELECT $1, v FROM (SELECT $1 + $2 + $1 AS v\n) x\n", query.sql());
            assertEquals(List.of(9, 2), query.values());
        }

        @Test
        void aConstantIsBoundAtEachUseAndNeverSpliced() {
            RenderedQuery query = render(templates.get("fixed"));
            assertEquals("SELECT v FROM (SELECT $1 + $2 + $3 AS v\n) x\n", query.sql());
            assertEquals(List.of(5, 5, 5), query.values());
        }

        @Test
        void aLayerEndingInACommentKeepsTheParenthesisOutOfIt() {
            Map<String, Template> commented = library(
                    "c", "-- C\nSELECT 1 AS one -- the last line has no newline",
                    "p", file("-- P", "SELECT * FROM {{c}} c"));
            assertEquals("SELECT * FROM (SELECT 1 AS one -- the last line has no newline\n) c\n", render(commented.get("p")).sql());
        }
    }

    @Nested
    class Grouped {

        private final Template template = template(
                "-- Revenue",
                "-- @param since date = 1995-01-01",
                "-- @dimension year: extract(year from o_orderdate)",
                "-- @dimension nation: n_name",
                "-- @measure revenue: sum(price)",
                "-- @measure orders: count(*)",
                "SELECT * FROM orders WHERE o_orderdate >= :since");

        @Test
        void everyMeasureOverTheWholeBodyByDefault() {
            RenderedQuery query = render(template);
            assertEquals(
                    "SELECT sum(price) AS \"revenue\", count(*) AS \"orders\" FROM (SELECT * FROM orders WHERE o_orderdate >= $1\n) AS fact",
                    query.sql());
            assertEquals(List.of(LocalDate.of(1995, 1, 1)), query.values());
        }

        /** A grouped request is keyed by its dimensions: they order its rows, so its pages are stable. */
        @Test
        void dimensionsThenMeasuresGroupedByPositionAndOrderedByTheDimensions() {
            assertEquals("SELECT * FROM (SELECT n_name AS \"nation\", extract(year from o_orderdate) AS \"year\", count(*) AS \"orders\" "
                    + "FROM (SELECT * FROM orders WHERE o_orderdate >= $1\n) AS fact GROUP BY 1, 2) AS q "
                    + "ORDER BY \"nation\" ASC NULLS LAST, \"year\" ASC NULLS LAST",
                    render(template, "_group", "nation,year", "_measures", "orders").sql());
        }

        @Test
        void sortedAndLimitedOutside() {
            RenderedQuery query = render(template, "_group", "year", "_sort", "-revenue,year", "_limit", "10", "since", "1996-01-01");
            assertEquals(
                    "SELECT * FROM (SELECT extract(year from o_orderdate) AS \"year\", sum(price) AS \"revenue\", count(*) AS \"orders\" "
                            + "FROM (SELECT * FROM orders WHERE o_orderdate >= $1\n) AS fact GROUP BY 1) AS q ORDER BY \"revenue\" DESC NULLS FIRST, \"year\" ASC NULLS LAST LIMIT $2",
                    query.sql());
            assertEquals(List.of(LocalDate.of(1996, 1, 1), 10L), query.values());
        }

        @Test
        void renderEverythingGroupsByEveryDimension() {
            assertEquals("SELECT extract(year from o_orderdate) AS \"year\", n_name AS \"nation\", sum(price) AS \"revenue\", "
                    + "count(*) AS \"orders\" FROM (SELECT * FROM orders WHERE o_orderdate >= $1\n) AS fact GROUP BY 1, 2",
                    QueryRenderer.renderEverything(template).sql());
        }
    }

    @Nested
    class SortAndLimit {

        private final Template template = template("-- t", "-- @param x int", "-- @sort a, b", "SELECT a, b FROM t WHERE a > :x;");

        @Test
        void theTemplateAsItIsWithoutEither() {
            assertEquals("SELECT a, b FROM t WHERE a > $1\n", render(template, "x", "1").sql());
        }

        @Test
        void wrappedToSortAndLimit() {
            RenderedQuery query = render(template, "x", "1", "_sort", "b,-a", "_limit", "5");
            assertEquals(
                    "SELECT * FROM (SELECT a, b FROM t WHERE a > $1\n) AS q ORDER BY \"b\" ASC NULLS LAST, \"a\" DESC NULLS FIRST LIMIT $2",
                    query.sql());
            assertEquals(List.of(1, 5L), query.values());
            assertEquals("SELECT * FROM (SELECT a, b FROM t WHERE a > $1\n) AS q ORDER BY \"a\" ASC NULLS LAST",
                    render(template, "x", "1", "_sort", "a").sql());
        }

        @Test
        void theDefaultLimitOfAPage() {
            RenderedQuery query = QueryRenderer.render(template,
                    Templates.parse(template, Templates.query("x", "1"), OptionalInt.of(100)));
            assertEquals("SELECT * FROM (SELECT a, b FROM t WHERE a > $1\n) AS q LIMIT $2", query.sql());
            assertEquals(List.of(1, 100L), query.values());
        }

        @Test
        void aBodyEndingInACommentKeepsTheWrapperOutOfIt() {
            Template commented = TemplateLibrary.resolve(Map.of("c", TemplateParser.parse("c", "c.sql",
                    "-- c\n-- @sort a\nSELECT 1 AS a; -- no newline after this"))).get("c");
            assertEquals("SELECT * FROM (SELECT 1 AS a -- no newline after this\n) AS q LIMIT $1",
                    render(commented, "_limit", "1").sql());
        }
    }

    @Nested
    class Locate {

        private final Map<String, Template> templates = library(
                "c", file("-- C", "-- @param n int = 3", "SELECT n", "FROM generate_series(1, :n) AS n"),
                "top", file("-- Top", "-- @sort n", "SELECT *", "FROM {{c}} AS c", "WHERE n > 1"));

        @Test
        void anOffsetLeadsBackToTheFileAndLineItCameFrom() {
            RenderedQuery query = render(templates.get("top"), "_sort", "n");
            String sql = query.sql();
            assertEquals(
                    "SELECT * FROM (SELECT *\nFROM (SELECT n\nFROM generate_series(1, $1) AS n\n) AS c\nWHERE n > 1\n) AS q ORDER BY \"n\" ASC NULLS LAST",
                    sql);
            assertEquals("", at(query, 0));
            assertEquals("top.sql:3", at(query, sql.indexOf("SELECT *\n")));
            assertEquals("top.sql:4", at(query, sql.indexOf("\nFROM (") + 1));
            assertEquals("top.sql:4", at(query, sql.indexOf("(SELECT n")));
            assertEquals("c.sql:3", at(query, sql.indexOf("SELECT n")));
            assertEquals("c.sql:4", at(query, sql.indexOf("generate_series")));
            assertEquals("c.sql:4", at(query, sql.indexOf("$1")));
            assertEquals("c.sql:4", at(query, sql.indexOf(") AS n") + 1));
            assertEquals("top.sql:4", at(query, sql.indexOf(") AS c")));
            assertEquals("top.sql:5", at(query, sql.indexOf("WHERE")));
        }

        @Test
        void filtersAndTheOrderingOutsideLeaveTheTemplatesOffsetsAlone() {
            Template top = templates.get("top");
            RenderedQuery query = QueryRenderer.render(top, Templates.request(top, Templates.columns("n", "integer"),
                    "n__gt", "1", "_sort", "-n", "_limit", "5"));
            String sql = query.sql();
            assertEquals("SELECT * FROM (SELECT *\nFROM (SELECT n\nFROM generate_series(1, $1) AS n\n) AS c\nWHERE n > 1\n) AS q "
                    + "WHERE \"n\" > $2::int ORDER BY \"n\" DESC NULLS FIRST LIMIT $3", sql);
            assertEquals("top.sql:3", at(query, sql.indexOf("SELECT *\n")));
            assertEquals("c.sql:4", at(query, sql.indexOf("$1")));
            assertEquals("c.sql:4", at(query, sql.indexOf(") AS n") + 1));
            assertEquals("top.sql:4", at(query, sql.indexOf(") AS c")));
            assertEquals("top.sql:5", at(query, sql.indexOf("WHERE n > 1")));
            assertEquals("top.sql:5", at(query, sql.indexOf("WHERE n > 1") + "WHERE n > 1".length()));
        }

        @Test
        void aGroupedRequestsBodyLeadsBackToItsFile() {
            Map<String, Template> grouped = library("g", file("-- G", "-- @dimension year: extract(year from day)",
                    "-- @measure total: sum(v)", "SELECT day, v", "FROM t"));
            RenderedQuery query = QueryRenderer.renderEverything(grouped.get("g"));
            String sql = query.sql();
            assertEquals("SELECT extract(year from day) AS \"year\", sum(v) AS \"total\" FROM (SELECT day, v\nFROM t\n) AS fact GROUP BY 1",
                    sql);
            assertEquals("", at(query, sql.indexOf("extract")));
            assertEquals("g.sql:4", at(query, sql.indexOf("SELECT day")));
            assertEquals("g.sql:5", at(query, sql.indexOf("FROM t")));
        }
    }

    @Nested
    class Filters {

        private final Template template = template("-- t", "-- @param since date = 1995-01-01", "SELECT * FROM t WHERE day >= :since");

        private final List<ResultColumn> columns = Templates.columns("n", "integer", "small", "smallint", "big", "bigint",
                "price", "numeric", "ratio", "double precision", "name", "text", "code", "character varying", "day", "date",
                "at", "timestamp without time zone", "flag", "boolean");

        private static final String RELATION = "SELECT * FROM (SELECT * FROM t WHERE day >= $1\n) AS q";

        private RenderedQuery filtered(String... namesAndValues) {
            return QueryRenderer.render(template, Templates.request(template, columns, namesAndValues));
        }

        /** The condition one filter writes after the template's own parameter, and the values bound for it. */
        private void assertFilter(String condition, List<Object> bound, String name, String value) {
            RenderedQuery query = filtered(name, value);
            assertEquals(RELATION + " WHERE " + condition, query.sql(), name);
            List<Object> expected = new java.util.ArrayList<>(List.of(LocalDate.of(1995, 1, 1)));
            expected.addAll(bound);
            assertEquals(expected, values(query), name);
        }

        @Test
        void comparisonsCastTheirPlaceholderToTheColumnsType() {
            assertFilter("\"n\" = $2::int", List.of(5), "n", "5");
            assertFilter("\"n\" = $2::int", List.of(5), "n__exact", " 5 ");
            assertFilter("\"small\" = $2::int", List.of(-3), "small", "-3");
            assertFilter("\"n\" IS DISTINCT FROM $2::int", List.of(5), "n__ne", "5");
            assertFilter("\"price\" < $2::numeric", List.of(new BigDecimal("1.50")), "price__lt", "1.50");
            assertFilter("\"ratio\" <= $2::float8", List.of(0.5d), "ratio__lte", "0.5");
            assertFilter("\"day\" > $2::date", List.of(LocalDate.of(1995, 3, 1)), "day__gt", "1995-03-01");
            assertFilter("\"at\" >= $2::timestamp", List.of(LocalDateTime.of(1995, 1, 1, 12, 0)), "at__gte", "1995-01-01T12:00");
            assertFilter("\"big\" = $2::bigint", List.of(9_000_000_000L), "big", "9000000000");
            assertFilter("\"name\" = $2::text", List.of("BUILDING"), "name", "BUILDING");
            assertFilter("\"code\" = $2::text", List.of("x"), "code", "x");
            assertFilter("\"flag\" = $2::boolean", List.of(true), "flag", "yes");
        }

        @Test
        void inBindsOneArrayOfTheColumnsType() {
            assertFilter("\"big\" = ANY($2::bigint[])", List.of(List.of(1L, 2L, 3L)), "big__in", "1,2,3");
            assertInstanceOf(Long[].class, filtered("big__in", "1,2,3").values().get(1));
            assertFilter("\"name\" = ANY($2::text[])", List.of(List.of("a", "", "b", "")), "name__in", "a,,b,");
            assertFilter("\"day\" = ANY($2::date[])", List.of(List.of(LocalDate.of(1995, 1, 1))), "day__in", "1995-01-01");
        }

        @Test
        void rangeIsInclusiveWithTwoPlaceholders() {
            assertFilter("\"day\" BETWEEN $2::date AND $3::date", List.of(LocalDate.of(1995, 1, 1), LocalDate.of(1995, 12, 31)),
                    "day__range", "1995-01-01,1995-12-31");
            assertFilter("\"price\" BETWEEN $2::numeric AND $3::numeric", List.of(new BigDecimal("0"), new BigDecimal("9.99")),
                    "price__range", "0,9.99");
        }

        @Test
        void textLookupsMatchLiterallyNotAsPatterns() {
            assertFilter("strpos(\"name\", $2::text) > 0", List.of("50%_off"), "name__contains", "50%_off");
            assertFilter("strpos(lower(\"code\"), lower($2::text)) > 0", List.of("MiXeD"), "code__icontains", "MiXeD");
            assertFilter("starts_with(\"name\", $2::text)", List.of("ab%"), "name__startswith", "ab%");
        }

        @Test
        void isnullBindsNothing() {
            assertFilter("\"flag\" IS NULL", List.of(), "flag__isnull", "true");
            assertFilter("\"price\" IS NOT NULL", List.of(), "price__isnull", "no");
        }

        @Test
        void filtersJoinWithAndInTheOrderAskedAndNumberAfterTheParameters() {
            String evil = "x'; DROP TABLE t; --";
            RenderedQuery query = filtered("n__gte", "1", "name__contains", evil, "since", "1996-01-01", "day__range",
                    "1996-01-01,1996-02-01");
            assertEquals(RELATION + " WHERE \"n\" >= $2::int AND strpos(\"name\", $3::text) > 0 AND \"day\" BETWEEN $4::date AND $5::date",
                    query.sql());
            assertEquals(List.of(LocalDate.of(1996, 1, 1), 1, evil, LocalDate.of(1996, 1, 1), LocalDate.of(1996, 2, 1)), values(query));
        }

        @Test
        void aGroupedRequestIsFilteredOnItsGroupedRows() {
            Template grouped = template("-- Revenue", "-- @param since date = 1995-01-01",
                    "-- @dimension year: extract(year from o_orderdate)",
                    "-- @measure revenue: sum(price)", "SELECT * FROM orders WHERE o_orderdate >= :since");
            RenderedQuery query = QueryRenderer.render(grouped,
                    Templates.request(grouped, Templates.columns("year", "integer", "revenue", "numeric"),
                            "_group", "year", "revenue__gte", "1000", "year__in", "1995,1996"));
            assertEquals("SELECT * FROM (SELECT extract(year from o_orderdate) AS \"year\", sum(price) AS \"revenue\" FROM "
                    + "(SELECT * FROM orders WHERE o_orderdate >= $1\n) AS fact GROUP BY 1) AS q "
                    + "WHERE \"revenue\" >= $2::numeric AND \"year\" = ANY($3::int[]) ORDER BY \"year\" ASC NULLS LAST", query.sql());
            assertEquals(List.of(LocalDate.of(1995, 1, 1), new BigDecimal("1000"), List.of(1995, 1996)), values(query));
        }
    }

    @Nested
    class Ordering {

        private final Template template = template("-- t", "-- @sort day, price, name, id", "-- @key id", "-- @order -price",
                "SELECT id, day, price, name FROM t");

        private static final String RELATION = "SELECT * FROM (SELECT id, day, price, name FROM t\n) AS q";

        @Test
        void theDeclaredOrderCompletedByTheKey() {
            RenderedQuery query = render(template);
            assertEquals(RELATION + " ORDER BY \"price\" DESC NULLS FIRST, \"id\" ASC NULLS LAST", query.sql());
            assertEquals(List.of(), query.values());
        }

        @Test
        void aRequestedSortReplacesTheDeclaredOrder() {
            assertEquals(RELATION + " ORDER BY \"name\" ASC NULLS LAST, \"id\" ASC NULLS LAST", render(template, "_sort", "name").sql());
            assertEquals(RELATION + " ORDER BY \"day\" DESC NULLS FIRST, \"price\" ASC NULLS LAST, \"id\" ASC NULLS LAST",
                    render(template, "_sort", "-day,price").sql());
        }

        @Test
        void theKeyIsNotRepeatedWhenTheSortNamesIt() {
            assertEquals(RELATION + " ORDER BY \"id\" DESC NULLS FIRST, \"day\" ASC NULLS LAST",
                    render(template, "_sort", "-id,day").sql());
        }

        @Test
        void everyKeyColumnInItsDeclaredOrder() {
            Template twoKeys = template("-- t", "-- @sort a, b, c", "-- @key c, a", "SELECT a, b, c FROM t");
            assertEquals(
                    "SELECT * FROM (SELECT a, b, c FROM t\n) AS q ORDER BY \"b\" DESC NULLS FIRST, \"c\" ASC NULLS LAST, \"a\" ASC NULLS LAST",
                    render(twoKeys, "_sort", "-b").sql());
            assertEquals("SELECT * FROM (SELECT a, b, c FROM t\n) AS q ORDER BY \"c\" ASC NULLS LAST, \"a\" ASC NULLS LAST",
                    render(twoKeys).sql());
        }
    }

    /** Rows after a cursor, under ASC NULLS LAST and DESC NULLS FIRST: one disjunct per ordering column. */
    @Nested
    class Keyset {

        private final Template template = template("-- t", "-- @param min int = 0", "-- @sort day, price, name, id", "-- @key id",
                "-- @order -price", "SELECT id, day, price, name FROM t WHERE id > :min");

        private final List<ResultColumn> columns = Templates.columns("id", "integer", "day", "date", "price", "numeric", "name", "text");

        private static final String RELATION = "SELECT * FROM (SELECT id, day, price, name FROM t WHERE id > $1\n) AS q";

        /** The query for a request, continued after a cursor with {@code values} for its ordering. */
        private RenderedQuery after(List<String> values, String... namesAndValues) {
            QueryRequest shape = Templates.request(template, columns, namesAndValues);
            List<String> query = new java.util.ArrayList<>(List.of(namesAndValues));
            query.addAll(List.of("_after", Templates.cursor(template, shape, values.toArray(String[]::new))));
            return QueryRenderer.render(template, Templates.request(template, columns, query.toArray(String[]::new)));
        }

        @Test
        void descendingThenAscendingKey() {
            RenderedQuery query = after(List.of("10.50", "7"));
            assertEquals(
                    RELATION + " WHERE ((\"price\" < $2::numeric) OR (\"price\" = $3::numeric AND (\"id\" > $4::int OR \"id\" IS NULL)))"
                            + " ORDER BY \"price\" DESC NULLS FIRST, \"id\" ASC NULLS LAST",
                    query.sql());
            assertEquals(List.of(0, new BigDecimal("10.50"), new BigDecimal("10.50"), 7), values(query));
        }

        @Test
        void afterANullDescendingEveryNonNullFollows() {
            RenderedQuery query = after(java.util.Arrays.asList(null, "7"));
            assertEquals(RELATION + " WHERE ((\"price\" IS NOT NULL) OR (\"price\" IS NULL AND (\"id\" > $2::int OR \"id\" IS NULL)))"
                    + " ORDER BY \"price\" DESC NULLS FIRST, \"id\" ASC NULLS LAST", query.sql());
            assertEquals(List.of(0, 7), values(query));
        }

        @Test
        void ascendingColumns() {
            RenderedQuery query = after(List.of("1995-01-01", "7"), "_sort", "day");
            assertEquals(RELATION
                    + " WHERE (((\"day\" > $2::date OR \"day\" IS NULL)) OR (\"day\" = $3::date AND (\"id\" > $4::int OR \"id\" IS NULL)))"
                    + " ORDER BY \"day\" ASC NULLS LAST, \"id\" ASC NULLS LAST", query.sql());
            assertEquals(List.of(0, LocalDate.of(1995, 1, 1), LocalDate.of(1995, 1, 1), 7), values(query));
        }

        @Test
        void afterANullAscendingOnlyTheLaterColumnsCanFollow() {
            RenderedQuery query = after(java.util.Arrays.asList(null, "7"), "_sort", "day");
            assertEquals(RELATION + " WHERE ((\"day\" IS NULL AND (\"id\" > $2::int OR \"id\" IS NULL)))"
                    + " ORDER BY \"day\" ASC NULLS LAST, \"id\" ASC NULLS LAST", query.sql());
            assertEquals(List.of(0, 7), values(query));
        }

        @Test
        void afterTheLastRowOfAnAscendingOrderingNothingFollows() {
            RenderedQuery query = after(java.util.Arrays.asList(null, null), "_sort", "day");
            assertEquals(RELATION + " WHERE (FALSE) ORDER BY \"day\" ASC NULLS LAST, \"id\" ASC NULLS LAST", query.sql());
            assertEquals(List.of(0), values(query));
        }

        @Test
        void threeColumnsMixed() {
            RenderedQuery query = after(java.util.Arrays.asList("x", null, "7"), "_sort", "-name,day");
            assertEquals(RELATION + " WHERE ((\"name\" < $2::text)"
                    + " OR (\"name\" = $3::text AND \"day\" IS NULL AND (\"id\" > $4::int OR \"id\" IS NULL)))"
                    + " ORDER BY \"name\" DESC NULLS FIRST, \"day\" ASC NULLS LAST, \"id\" ASC NULLS LAST", query.sql());
            assertEquals(List.of(0, "x", "x", 7), values(query));
        }

        @Test
        void descendingKeyAlone() {
            RenderedQuery query = after(List.of("7"), "_sort", "-id");
            assertEquals(RELATION + " WHERE ((\"id\" < $2::int)) ORDER BY \"id\" DESC NULLS FIRST", query.sql());
            assertEquals(List.of(0, 7), values(query));
        }

        @Test
        void afterTheFiltersBeforeTheLimitAndOffset() {
            RenderedQuery query = after(List.of("7"), "_sort", "-id", "name__startswith", "a", "min", "3", "_limit", "20", "_offset", "40");
            assertEquals(RELATION + " WHERE starts_with(\"name\", $2::text) AND ((\"id\" < $3::int)) ORDER BY \"id\" DESC NULLS FIRST"
                    + " LIMIT $4 OFFSET $5", query.sql());
            assertEquals(List.of(3, "a", 7, 20L, 40L), values(query));
        }

        @Test
        void resumedFromTheLastEventIdOfAStream() {
            QueryRequest shape = Templates.request(template, columns);
            QueryRequest resumed = Templates.parse(template, columns, Map.of(),
                    Optional.of(Templates.cursor(template, shape, "10.50", "7")));
            assertEquals(after(List.of("10.50", "7")).sql(), QueryRenderer.render(template, resumed).sql());
        }
    }

    @Nested
    class OffsetAndPages {

        private final Template template = template("-- t", "-- @param x int", "SELECT a, b FROM t WHERE a > :x");

        @Test
        void anOffsetAloneWraps() {
            RenderedQuery query = render(template, "x", "1", "_offset", "10");
            assertEquals("SELECT * FROM (SELECT a, b FROM t WHERE a > $1\n) AS q OFFSET $2", query.sql());
            assertEquals(List.of(1, 10L), query.values());
        }

        @Test
        void theOffsetFollowsTheLimit() {
            RenderedQuery query = render(template, "x", "1", "_limit", "5", "_offset", "0");
            assertEquals("SELECT * FROM (SELECT a, b FROM t WHERE a > $1\n) AS q LIMIT $2 OFFSET $3", query.sql());
            assertEquals(List.of(1, 5L, 0L), query.values());
        }

        @Test
        void aPageAsksForOneRowMore() {
            QueryRequest request = Templates.request(template, "x", "1", "_limit", "5", "_offset", "10");
            RenderedQuery page = QueryRenderer.renderPage(new RowSource.Body(template), request);
            assertEquals("SELECT * FROM (SELECT a, b FROM t WHERE a > $1\n) AS q LIMIT $2 OFFSET $3", page.sql());
            assertEquals(List.of(1, 6L, 10L), page.values());
            assertEquals(List.of(1, 5L, 10L), QueryRenderer.render(template, request).values());
            RenderedQuery unlimited = QueryRenderer.renderPage(new RowSource.Body(template), Templates.request(template, "x", "1"));
            assertEquals("SELECT a, b FROM t WHERE a > $1\n", unlimited.sql());
        }
    }

    /** {@code _count}: the rows that pass the filters, every page together, whatever the ordering, cursor, limit and offset. */
    @Nested
    class Count {

        private final Template template = template("-- t", "-- @param x int", "-- @sort a, b", "-- @key a",
                "SELECT a, b FROM t WHERE a > :x");

        private final List<ResultColumn> columns = Templates.columns("a", "integer", "b", "text");

        @Test
        void countsTheFilteredRowsOnly() {
            QueryRequest shape = Templates.request(template, columns, "x", "1", "b__icontains", "z", "_sort", "-b");
            QueryRequest request = Templates.request(template, columns, "x", "1", "b__icontains", "z", "_sort", "-b", "_limit", "5",
                    "_offset", "10", "_after", Templates.cursor(template, shape, "zz", "3"), "_count", "exact");
            assertEquals(CountMode.EXACT, request.count());
            RenderedQuery count = QueryRenderer.renderCount(new RowSource.Body(template), request);
            assertEquals("SELECT count(*) FROM (SELECT a, b FROM t WHERE a > $1\n) AS q WHERE strpos(lower(\"b\"), lower($2::text)) > 0",
                    count.sql());
            assertEquals(List.of(1, "z"), count.values());
            RenderedQuery filtered = QueryRenderer.renderFiltered(new RowSource.Body(template), request);
            assertEquals("SELECT * FROM (SELECT a, b FROM t WHERE a > $1\n) AS q WHERE strpos(lower(\"b\"), lower($2::text)) > 0",
                    filtered.sql());
            assertEquals(List.of(1, "z"), filtered.values());
        }

        @Test
        void withoutFiltersEveryRow() {
            RenderedQuery count = QueryRenderer.renderCount(new RowSource.Body(template),
                    Templates.request(template, columns, "x", "1", "_limit", "5"));
            assertEquals("SELECT count(*) FROM (SELECT a, b FROM t WHERE a > $1\n) AS q", count.sql());
            assertEquals(List.of(1), count.values());
        }

        @Test
        void theGroupsOfAGroupedRequest() {
            Template grouped = template("-- Revenue", "-- @dimension year: extract(year from o_orderdate)",
                    "-- @measure revenue: sum(price)",
                    "SELECT * FROM orders");
            RenderedQuery count = QueryRenderer.renderCount(new RowSource.Body(grouped), Templates.request(grouped,
                    Templates.columns("year", "integer", "revenue", "numeric"), "_group", "year", "revenue__gt", "0"));
            assertEquals("SELECT count(*) FROM (SELECT extract(year from o_orderdate) AS \"year\", sum(price) AS \"revenue\" "
                    + "FROM (SELECT * FROM orders\n) AS fact GROUP BY 1) AS q WHERE \"revenue\" > $1::numeric", count.sql());
            assertEquals(List.of(new BigDecimal("0")), count.values());
        }
    }

    @Nested
    class BuiltInTemplates {

        private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\d+)");

        @Test
        void everyOneRendersWithItsDefaultsBindingEachParameterOnce() {
            Map<String, Template> templates = TemplateFiles.load(Optional.empty());
            assertTrue(templates.keySet().containsAll(List.of("tpch/q01", "tpch/q15", "tpch/q22", "tpch/revenue", "tpch/order")),
                    templates.keySet()::toString);
            // the few without a default for a required parameter (tpch/order's key) get a value
            Map<String, Map<String, List<String>>> required = Map.of("tpch/order", Map.of("orderkey", List.of("1")));
            for (Template template : templates.values()) {
                QueryRequest request = Templates.parse(template, required.getOrDefault(template.name(), Map.of()), OptionalInt.empty());
                RenderedQuery query = QueryRenderer.render(template, request);
                // every parameter has a value but the optional ones, which are absent; a tenant's template has its tenant first
                List<String> bound = new ArrayList<>(template.tenant() ? List.of(Template.TENANT) : List.of());
                template.parameters().values().stream().filter(parameter -> !parameter.optional()).forEach(p -> bound.add(p.name()));
                assertEquals(bound, List.copyOf(request.arguments().keySet()), template.name());
                assertEquals(request.arguments().size(), query.values().size(), template.name());
                Set<Integer> used = new HashSet<>();
                Matcher matcher = PLACEHOLDER.matcher(query.sql());
                while (matcher.find()) {
                    used.add(Integer.parseInt(matcher.group(1)));
                }
                for (int n = 1; n <= query.values().size(); n++) {
                    assertTrue(used.contains(n), template.name() + " has no $" + n);
                }
                assertFalse(query.sql().isBlank(), template.name());
                // the declared order, completed by the key, orders the rows outside
                assertTrue(request.ordering().stream().map(SortKey::column).toList().containsAll(template.header().key()), template.name());
                String orderBy = request.ordering().stream()
                        .map(key -> "\"" + key.column() + "\"" + (key.descending() ? " DESC NULLS FIRST" : " ASC NULLS LAST"))
                        .collect(Collectors.joining(", ", " ORDER BY ", ""));
                assertTrue(request.ordering().isEmpty() ? !query.sql().contains(" ORDER BY \"") : query.sql().endsWith(") AS q" + orderBy),
                        template.name() + ": " + query.sql());
            }
            RenderedQuery q15 = QueryRenderer.render(templates.get("tpch/q15"),
                    Templates.parse(templates.get("tpch/q15"), Map.of("date", List.of("1997-01-01")), OptionalInt.of(10)));
            assertTrue(q15.sql().startsWith("SELECT * FROM (WITH revenue AS (SELECT\n    l_suppkey "), q15.sql());
            assertTrue(q15.sql().endsWith(") AS q ORDER BY \"s_suppkey\" ASC NULLS LAST LIMIT $2"), q15.sql());
            assertEquals(List.of(LocalDate.of(1997, 1, 1), 10L), q15.values());
        }
    }

    /** The position as messages write it, empty when the text did not come from a template. */
    private static String at(RenderedQuery query, int offset) {
        return query.locate(offset).map(SourcePosition::toString).orElse("");
    }
}
