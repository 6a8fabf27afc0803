package dev.quarry.template;

import static dev.quarry.template.TemplateText.file;
import static dev.quarry.template.TemplateText.library;
import static dev.quarry.template.TemplateText.show;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Layers expanded and templates checked by {@link TemplateLibrary}. */
class TemplateLibraryTest {

    private static final String REVENUE = file(
            "-- Revenue per supplier",
            "-- @param date date = 1996-01-01 range 1993-01-01..1997-10-01 -- first day of the quarter",
            "-- @param nation text optional",
            "SELECT l_suppkey, sum(l_extendedprice) AS revenue",
            "FROM lineitem",
            "WHERE l_shipdate >= :date::date /*[ AND l_nation = :nation ]*/",
            "GROUP BY l_suppkey");

    /** Asserts that resolving fails in {@code source} at {@code line} and returns the reason. */
    private static String resolveError(String source, int line, String... namesAndTexts) {
        TemplateException e = assertThrows(TemplateException.class, () -> library(namesAndTexts));
        assertEquals(source + ":" + line + ": " + e.reason(), e.getMessage());
        return e.reason();
    }

    @Nested
    class Layers {

        @Test
        void aTemplateWithoutLayersStaysAsItIs() {
            Map<String, Template> templates = library("revenue", REVENUE);
            assertEquals("SELECT l_suppkey, sum(l_extendedprice) AS revenue\nFROM lineitem\n"
                    + "WHERE l_shipdate >= <date>::date [ AND l_nation = <nation> ]\nGROUP BY l_suppkey\n",
                    show(templates.get("revenue").body()));
        }

        @Test
        void unboundParametersAreForwardedUnderTheirOwnName() {
            Map<String, Template> templates = library("revenue", REVENUE, "top", file(
                    "-- Top supplier",
                    "-- @sort revenue",
                    "WITH r AS {{revenue}}",
                    "SELECT * FROM r"));
            Template top = templates.get("top");
            assertEquals("WITH r AS (SELECT l_suppkey, sum(l_extendedprice) AS revenue\nFROM lineitem\n"
                    + "WHERE l_shipdate >= <date>::date [ AND l_nation = <nation> ]\nGROUP BY l_suppkey\n)\nSELECT * FROM r\n",
                    show(top.body()));
            assertEquals(List.of("date", "nation"), List.copyOf(top.parameters().keySet()));
            ParameterSpec date = top.parameters().get("date");
            assertEquals(Optional.of(LocalDate.of(1996, 1, 1)), date.defaultValue());
            assertEquals("first day of the quarter", date.description());
            assertTrue(top.parameters().get("nation").optional());
            assertEquals(List.of("revenue"), top.header().sortable());
        }

        @Test
        void theChildTextKeepsItsOwnSourceAndLines() {
            Template top = library("revenue", REVENUE, "top", file("-- Top", "", "WITH r AS {{revenue}}", "SELECT * FROM r")).get("top");
            assertEquals(new Fragment.Sql("WITH r AS ", "top.sql", 3), top.body().get(0));
            assertEquals(new Fragment.Sql("(", "top.sql", 3), top.body().get(1));
            assertEquals(new Fragment.Sql("SELECT l_suppkey, sum(l_extendedprice) AS revenue\nFROM lineitem\nWHERE l_shipdate >= ",
                    "revenue.sql", 4), top.body().get(2));
            assertEquals(new Fragment.Param("date", 6), top.body().get(3));
        }

        @Test
        void theParentsOwnDeclarationWinsOverAForwardedOne() {
            Template top = library("revenue", REVENUE, "top", file(
                    "-- Top",
                    "-- @param date date = 1995-01-01",
                    "SELECT * FROM {{revenue}} r WHERE :date IS NOT NULL")).get("top");
            assertEquals(Optional.of(LocalDate.of(1995, 1, 1)), top.parameters().get("date").defaultValue());
            assertEquals(List.of("date", "nation"), List.copyOf(top.parameters().keySet()));
        }

        @Test
        void anArgumentRenamesAParameter() {
            Template top = library("revenue", REVENUE, "top", file(
                    "-- Top",
                    "-- @param quarter date = 1995-01-01 -- the quarter",
                    "SELECT * FROM {{revenue(date = :quarter, nation = :supplier_nation)}} r")).get("top");
            assertEquals("SELECT * FROM (SELECT l_suppkey, sum(l_extendedprice) AS revenue\nFROM lineitem\n"
                    + "WHERE l_shipdate >= <quarter>::date [ AND l_nation = <supplier_nation> ]\nGROUP BY l_suppkey\n) r\n",
                    show(top.body()));
            assertEquals(List.of("quarter", "supplier_nation"), List.copyOf(top.parameters().keySet()));
            assertEquals("the quarter", top.parameters().get("quarter").description());
            ParameterSpec supplierNation = top.parameters().get("supplier_nation");
            assertEquals("supplier_nation", supplierNation.name());
            assertTrue(supplierNation.optional());
            assertEquals(ParamType.TEXT, supplierNation.type());
            Fragment.OptionalBlock block = (Fragment.OptionalBlock) top.body().get(5);
            assertEquals(new Fragment.Param("supplier_nation", 3), block.body().get(1));
        }

        @Test
        void anArgumentFixesAParameterToAConstant() {
            Template top = library("revenue", REVENUE, "top", file(
                    "-- Top",
                    "SELECT * FROM {{revenue(date = 1994-04-01, nation = 'UNITED STATES')}} r")).get("top");
            assertEquals("SELECT * FROM (SELECT l_suppkey, sum(l_extendedprice) AS revenue\nFROM lineitem\n"
                    + "WHERE l_shipdate >= <=1994-04-01>::date [ AND l_nation = <=UNITED STATES> ]\nGROUP BY l_suppkey\n) r\n",
                    show(top.body()));
            assertEquals(Map.of(), top.parameters());
            assertEquals(new Fragment.Constant(LocalDate.of(1994, 4, 1)), top.body().get(3));
        }

        @Test
        void aListConstantMayHoldCommasInQuotes() {
            Template parent = library("child", file("-- Child", "-- @param ids int[]", "-- @param name text", "SELECT :ids, :name"),
                    "parent", file("-- Parent", "SELECT * FROM {{child(ids = '1,2,3', name = 'Smith, John')}} c")).get("parent");
            Fragment.Constant ids = (Fragment.Constant) parent.body().get(3);
            assertArrayEquals(new Integer[] { 1, 2, 3 }, (Integer[]) ids.value());
            assertEquals(new Fragment.Constant("Smith, John"), parent.body().get(5));
        }

        @Test
        void layersNest() {
            Map<String, Template> templates = library(
                    "a", file("-- A", "-- @param x int", "-- @param y int = 2", "SELECT * FROM {{b(p = :x)}} b WHERE :y > 0"),
                    "b", file("-- B", "-- @param p int", "SELECT * FROM {{c(q = :p, r = 7)}} c"),
                    "c", file("-- C", "-- @param q int", "-- @param r int", "-- @param s text optional",
                            "SELECT :q + :r AS v /*[ WHERE :s <> '' ]*/"));
            assertEquals("SELECT * FROM (SELECT * FROM (SELECT <x> + <=7> AS v [ WHERE <s> <> '' ]\n) c\n) b WHERE <y> > 0\n",
                    show(templates.get("a").body()));
            assertEquals(List.of("x", "y", "s"), List.copyOf(templates.get("a").parameters().keySet()));
            assertEquals(List.of("p", "s"), List.copyOf(templates.get("b").parameters().keySet()));
        }

        @Test
        void aLayerMayBeUsedTwiceAndFromSeveralTemplates() {
            Map<String, Template> templates = library(
                    "d", file("-- D", "-- @param n int", "SELECT :n AS n"),
                    "x", file("-- X", "SELECT * FROM {{d(n = 1)}} a, {{d(n = 2)}} b"),
                    "y", file("-- Y", "SELECT * FROM {{d}} a JOIN {{d}} b USING (n)"));
            assertEquals("SELECT * FROM (SELECT <=1> AS n\n) a, (SELECT <=2> AS n\n) b\n", show(templates.get("x").body()));
            assertEquals("SELECT * FROM (SELECT <n> AS n\n) a JOIN (SELECT <n> AS n\n) b USING (n)\n", show(templates.get("y").body()));
            assertEquals(List.of("n"), List.copyOf(templates.get("y").parameters().keySet()));
        }

        @Test
        void aLayerInsideAnOptionalBlockIsExpandedThere() {
            Template top = library("d", file("-- D", "-- @param n int", "SELECT :n"),
                    "top", file("-- Top", "-- @param n int optional", "SELECT 1 /*[ WHERE 1 IN {{d}} ]*/")).get("top");
            assertEquals("SELECT 1 [ WHERE 1 IN (SELECT <n>\n) ]\n", show(top.body()));
        }

        @Test
        void resolvedTemplatesAreSortedByNameAndUnmodifiable() {
            Map<String, Template> templates = library("b", file("-- B", "SELECT 1"), "a", file("-- A", "SELECT 2"));
            assertEquals(List.of("a", "b"), List.copyOf(templates.keySet()));
            assertThrows(UnsupportedOperationException.class, () -> templates.remove("a"));
        }
    }

    @Nested
    class Errors {

        @Test
        void unknownInclude() {
            assertEquals("no template named 'nope'",
                    resolveError("top.sql", 4, "top", file("-- Top", "SELECT *", "FROM x", "JOIN {{nope}} n")));
        }

        @Test
        void cycle() {
            assertEquals("layers make a cycle: a -> b -> a", resolveError("b.sql", 3,
                    "a", file("-- A", "SELECT * FROM {{b}} b"),
                    "b", file("-- B", "SELECT *", "FROM {{a}} a")));
        }

        @Test
        void longerCycle() {
            assertEquals("layers make a cycle: b -> c -> b", resolveError("c.sql", 2,
                    "a", file("-- A", "SELECT * FROM {{b}} b"),
                    "b", file("-- B", "SELECT * FROM {{c}} c"),
                    "c", file("-- C", "SELECT * FROM {{b}} b")));
        }

        @Test
        void selfInclude() {
            assertEquals("layers make a cycle: a -> a", resolveError("a.sql", 2, "a", file("-- A", "SELECT * FROM {{a}} a")));
        }

        @Test
        void unknownParameterArgument() {
            assertEquals("revenue has no parameter 'day'; it has date, nation", resolveError("top.sql", 3, "revenue", REVENUE,
                    "top", file("-- Top", "", "SELECT * FROM {{revenue(day = :d)}} r")));
        }

        @Test
        void anArgumentBindsOnlyAParameterName() {
            // ':' or ':a b' made a parameter of that name, which no request could name
            assertEquals("argument date of revenue binds :, but '' is not a name (letters, digits and _, not starting with a digit)",
                    resolveError("top.sql", 2, "revenue", REVENUE, "top", file("-- Top", "SELECT * FROM {{revenue(date = :)}} r")));
            assertEquals(
                    "argument date of revenue binds :a b; --, but 'a b; --' is not a name (letters, digits and _, not starting with a digit)",
                    resolveError("top.sql", 2, "revenue", REVENUE, "top", file("-- Top", "SELECT * FROM {{revenue(date = :a b; --)}} r")));
        }

        @Test
        void badConstant() {
            assertEquals("argument date of revenue expected a date as YYYY-MM-DD, got 'soon'", resolveError("top.sql", 2,
                    "revenue", REVENUE, "top", file("-- Top", "SELECT * FROM {{revenue(date = soon)}} r")));
            assertEquals("argument date of revenue must be between 1993-01-01 and 1997-10-01, got 1999-01-01", resolveError("top.sql", 2,
                    "revenue", REVENUE, "top", file("-- Top", "SELECT * FROM {{revenue(date = 1999-01-01)}} r")));
        }

        @Test
        void undeclaredParameter() {
            assertEquals(":y is not declared; add a header line such as -- @param y text",
                    resolveError("t.sql", 4, "t", file("-- T", "-- @param x int", "SELECT :x", "WHERE b = :y")));
        }

        @Test
        void undeclaredParameterInABlock() {
            resolveError("t.sql", 5, "t", file("-- T", "-- @param x int", "SELECT :x", "WHERE true", "/*[ AND b = :y ]*/"));
        }

        @Test
        void unusedParameter() {
            assertEquals("parameter 'y' is declared but never used",
                    resolveError("t.sql", 1, "t", file("-- T", "-- @param x int", "-- @param y int", "SELECT :x")));
        }

        @Test
        void aParameterUsedOnlyInACommentIsUnused() {
            resolveError("t.sql", 1, "t", file("-- T", "-- @param x int", "SELECT 1 -- :x"));
        }

        @Test
        void optionalParameterOutsideABlock() {
            assertEquals(":o is optional, so it may only be used inside an optional block /*[ ... ]*/",
                    resolveError("t.sql", 4, "t", file("-- T", "-- @param o int optional", "SELECT 1 /*[ WHERE :o > 0 ]*/", "  , :o")));
        }

        @Test
        void optionalParameterGivenToARequiredOne() {
            assertEquals(":o is optional, so it may only be used inside an optional block /*[ ... ]*/", resolveError("top.sql", 3,
                    "d", file("-- D", "-- @param n int", "SELECT :n"),
                    "top", file("-- Top", "-- @param o int optional", "SELECT * FROM {{d(n = :o)}} d")));
        }

        @Test
        void errorsInAChildNameTheChild() {
            resolveError("d.sql", 3, "top", file("-- Top", "SELECT * FROM {{d}} d"),
                    "d", file("-- D", "-- @param n int", "SELECT :n, :m"));
        }

        @Test
        void dimensionWithoutMeasure() {
            assertEquals("a template with @dimension needs at least one @measure",
                    resolveError("t.sql", 1, "t", file("-- T", "-- @dimension year: extract(year from d)", "SELECT 1")));
        }

        @Test
        void dimensionAndMeasureOfTheSameName() {
            assertEquals("'n' is both a dimension and a measure",
                    resolveError("t.sql", 1, "t", file("-- T", "-- @dimension n: a", "-- @measure n: count(*)", "SELECT 1")));
        }
    }
}
