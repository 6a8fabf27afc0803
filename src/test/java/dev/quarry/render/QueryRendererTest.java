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

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.quarry.render.QueryRenderer.Placeholder;
import dev.quarry.template.Template;
import dev.quarry.template.TemplateFiles;
import dev.quarry.template.TemplateParser;
import dev.quarry.template.TemplateLibrary;

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
            assertArrayEquals(new Integer[] {3, 1, 2}, assertInstanceOf(Integer[].class, query.values().get(0)));
            assertArrayEquals(new LocalDate[] {LocalDate.of(1995, 1, 1), LocalDate.of(1995, 2, 1)},
                    assertInstanceOf(LocalDate[].class, query.values().get(1)));
        }

        @Test
        void requestTextNeverBecomesSql() {
            Template template = template("-- t", "-- @param name text", "-- @param tags text[]", "-- @sort a",
                    "SELECT a FROM t WHERE name = :name AND tags && :tags");
            String evil = "x'; DROP TABLE t; --";
            RenderedQuery query = render(template, "name", evil, "tags", "*/ $1 :name", "_sort", "a", "_limit", "3");
            assertEquals("SELECT * FROM (SELECT a FROM t WHERE name = $1 AND tags && $2\n) AS q ORDER BY \"a\" LIMIT $3", query.sql());
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
            assertEquals("SELECT sum(price) AS \"revenue\", count(*) AS \"orders\" FROM (SELECT * FROM orders WHERE o_orderdate >= $1\n) AS fact",
                    query.sql());
            assertEquals(List.of(LocalDate.of(1995, 1, 1)), query.values());
        }

        @Test
        void dimensionsThenMeasuresGroupedByPosition() {
            assertEquals("SELECT n_name AS \"nation\", extract(year from o_orderdate) AS \"year\", count(*) AS \"orders\" "
                    + "FROM (SELECT * FROM orders WHERE o_orderdate >= $1\n) AS fact GROUP BY 1, 2",
                    render(template, "_group", "nation,year", "_measures", "orders").sql());
        }

        @Test
        void sortedAndLimitedOutside() {
            RenderedQuery query = render(template, "_group", "year", "_sort", "-revenue,year", "_limit", "10", "since", "1996-01-01");
            assertEquals("SELECT * FROM (SELECT extract(year from o_orderdate) AS \"year\", sum(price) AS \"revenue\", count(*) AS \"orders\" "
                    + "FROM (SELECT * FROM orders WHERE o_orderdate >= $1\n) AS fact GROUP BY 1) AS q ORDER BY \"revenue\" DESC, \"year\" LIMIT $2",
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
            assertEquals("SELECT * FROM (SELECT a, b FROM t WHERE a > $1\n) AS q ORDER BY \"b\", \"a\" DESC LIMIT $2", query.sql());
            assertEquals(List.of(1, 5L), query.values());
            assertEquals("SELECT * FROM (SELECT a, b FROM t WHERE a > $1\n) AS q ORDER BY \"a\"",
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
            assertEquals("SELECT * FROM (SELECT *\nFROM (SELECT n\nFROM generate_series(1, $1) AS n\n) AS c\nWHERE n > 1\n) AS q ORDER BY \"n\"", sql);
            assertEquals("", query.locate(0));
            assertEquals("top.sql:3", query.locate(sql.indexOf("SELECT *\n")));
            assertEquals("top.sql:4", query.locate(sql.indexOf("\nFROM (") + 1));
            assertEquals("top.sql:4", query.locate(sql.indexOf("(SELECT n")));
            assertEquals("c.sql:3", query.locate(sql.indexOf("SELECT n")));
            assertEquals("c.sql:4", query.locate(sql.indexOf("generate_series")));
            assertEquals("c.sql:4", query.locate(sql.indexOf("$1")));
            assertEquals("c.sql:4", query.locate(sql.indexOf(") AS n") + 1));
            assertEquals("top.sql:4", query.locate(sql.indexOf(") AS c")));
            assertEquals("top.sql:5", query.locate(sql.indexOf("WHERE")));
        }
    }

    @Nested
    class BuiltInTemplates {

        private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\d+)");

        @Test
        void everyOneRendersWithItsDefaultsBindingEachParameterOnce() {
            Map<String, Template> templates = TemplateFiles.load(Optional.empty());
            assertTrue(templates.keySet().containsAll(List.of("tpch/q01", "tpch/q15", "tpch/q22", "tpch/revenue")), templates.keySet()::toString);
            for (Template template : templates.values()) {
                RenderedQuery query = QueryRenderer.render(template, Templates.parse(template, Map.of(), OptionalInt.empty()));
                assertEquals(template.parameters().size(), query.values().size(), template.name());
                Set<Integer> used = new HashSet<>();
                Matcher matcher = PLACEHOLDER.matcher(query.sql());
                while (matcher.find()) {
                    used.add(Integer.parseInt(matcher.group(1)));
                }
                for (int n = 1; n <= query.values().size(); n++) {
                    assertTrue(used.contains(n), template.name() + " has no $" + n);
                }
                assertFalse(query.sql().isBlank(), template.name());
            }
            RenderedQuery q15 = QueryRenderer.render(templates.get("tpch/q15"),
                    Templates.parse(templates.get("tpch/q15"), Map.of("date", List.of("1997-01-01")), OptionalInt.of(10)));
            assertTrue(q15.sql().startsWith("SELECT * FROM (WITH revenue AS (SELECT\n    l_suppkey "), q15.sql());
            assertTrue(q15.sql().endsWith(") AS q LIMIT $2"), q15.sql());
            assertEquals(List.of(LocalDate.of(1997, 1, 1), 10L), q15.values());
        }
    }
}
