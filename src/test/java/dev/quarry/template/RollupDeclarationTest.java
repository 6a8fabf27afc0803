package dev.quarry.template;

import static dev.quarry.template.TemplateText.file;
import static dev.quarry.template.TemplateText.library;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** {@code @rollup} lines parsed by {@link RollupParser} and checked by {@link RollupChecks}. */
class RollupDeclarationTest {

    private static String cube(String... rollupLines) {
        String[] head = {
                "-- Sales cube",
                "-- @param since date = 1995-01-01 range 1992-01-01..1999-01-01",
                "-- @param until date = 1996-01-01 range 1992-01-01..1999-01-01",
                "-- @dimension region: r_name",
                "-- @dimension year: extract(YEAR FROM o_orderdate)::int",
                "-- @measure revenue: sum(revenue)",
                "-- @measure orders: count(DISTINCT l_orderkey)",
                "-- @measure avg_discount: round(avg(l_discount), 4)" };
        String[] lines = new String[head.length + rollupLines.length + 1];
        System.arraycopy(head, 0, lines, 0, head.length);
        System.arraycopy(rollupLines, 0, lines, head.length, rollupLines.length);
        lines[lines.length - 1] = "SELECT * FROM sales WHERE o_orderdate >= :since AND o_orderdate < :until";
        return file(lines);
    }

    private static String error(String... rollupLines) {
        TemplateException e = assertThrows(TemplateException.class, () -> library("a/cube", cube(rollupLines)));
        assertEquals("a/cube.sql", e.source());
        return e.line() + ": " + e.reason();
    }

    @Test
    void everyClauseIsRead() {
        Template template = library("a/cube", cube(
                "-- @rollup monthly dimensions region, year",
                "-- @rollup monthly time o_orderdate month",
                "-- @rollup monthly measures revenue, avg_discount",
                "-- @rollup monthly build since = 1992-01-01, until = '1999-01-01'",
                "-- @rollup monthly where o_orderdate >= :since AND o_orderdate < :until",
                "-- @rollup monthly partition year changes o_orderdate",
                "-- @rollup monthly refresh every 6h, fresh for 1d, stale allowed")).get("a/cube");
        RollupDeclaration rollup = template.header().rollups().get(0);
        assertEquals("a/cube", rollup.template());
        assertEquals("monthly", rollup.name());
        assertEquals(new SourcePosition("a/cube.sql", 9), rollup.position());
        assertEquals(List.of("region", "year"), rollup.dimensions());
        assertEquals(Optional.of(new RollupTime("o_orderdate", TimeGrain.MONTH)), rollup.time());
        assertEquals(List.of("revenue", "avg_discount"), rollup.measures());
        assertEquals(Map.of("since", LocalDate.of(1992, 1, 1), "until", LocalDate.of(1999, 1, 1)), rollup.build());
        assertEquals(List.of("since", "until"), rollup.whereParameters());
        assertEquals(Optional.of(new RollupPartition(TimeGrain.YEAR, Optional.of("o_orderdate"))), rollup.partition());
        assertEquals(Optional.of(Duration.ofHours(6)), rollup.refreshEvery());
        assertEquals(Optional.of(Duration.ofDays(1)), rollup.freshFor());
        assertTrue(rollup.staleAllowed());
        assertEquals("a__cube__monthly", rollup.tableName());
        assertEquals("quarry_rollup.\"a__cube__monthly\"", rollup.table());
    }

    @Test
    void severalRollupsKeepTheirOrder() {
        Template template = library("a/cube", cube(
                "-- @rollup yearly dimensions region, year",
                "-- @rollup yearly measures revenue, orders",
                "-- @rollup total measures revenue")).get("a/cube");
        assertEquals(List.of("yearly", "total"), template.header().rollups().stream().map(RollupDeclaration::name).toList());
        assertEquals(List.of(), template.header().rollups().get(1).dimensions());
        assertEquals(Map.of(), template.header().rollups().get(1).build());
    }

    @Test
    void badDeclarationsStopAtTheRollupsLine() {
        assertEquals("9: rollup 'm': 'nation' is not a dimension of the template; its dimensions are region, year",
                error("-- @rollup m dimensions nation", "-- @rollup m measures revenue"));
        assertEquals("9: rollup 'm': 'profit' is not a measure of the template; its measures are revenue, orders, avg_discount",
                error("-- @rollup m measures profit"));
        assertTrue(error("-- @rollup m measures orders", "-- @rollup m time o_orderdate month").startsWith(
                "9: rollup 'm': measure orders cannot be rolled up (count(DISTINCT ...)"));
        assertEquals("9: 'hour' is not a grain; the grains are day, week, month, quarter, year",
                error("-- @rollup m time o_orderdate hour"));
        assertEquals("10: '2x' is not a duration such as 30s, 15m, 6h or 1d",
                error("-- @rollup m measures revenue", "-- @rollup m refresh every 2x"));
        assertTrue(error("-- @rollup m measures revenue", "-- @rollup m build delta = 3").startsWith(
                "9: rollup 'm': build names 'delta', which is not a parameter"));
        assertTrue(error("-- @rollup m measures revenue", "-- @rollup m build since = 1980-01-01").startsWith(
                "9: rollup 'm': build value of since must be between"));
        assertEquals(
                "9: rollup 'm': its where compares the date :since but it keeps no time column; declare one with time <column> <grain>",
                error("-- @rollup m measures revenue", "-- @rollup m where x >= :since"));
        assertEquals("9: rollup 'm': its where uses :region, which is not a parameter of a/cube",
                error("-- @rollup m measures revenue", "-- @rollup m where x = :region"));
        assertEquals("9: unknown @rollup clause 'keeps'; the clauses are dimensions, time, measures, build, where, partition, refresh",
                error("-- @rollup m keeps region"));
        assertEquals("9: rollup 'm' holds no measure; add @rollup m measures ...", error("-- @rollup m dimensions region"));
        assertEquals("9: rollup 'm': a partition splits the time column; declare one with time <column> <grain>",
                error("-- @rollup m measures revenue", "-- @rollup m partition year"));
        assertEquals("9: rollup 'm': its partitions (month) are finer than its time grain (year)",
                error("-- @rollup m measures revenue", "-- @rollup m time o_orderdate year", "-- @rollup m partition month"));
    }

    @Test
    void aRollupNeedsAGroupedTemplate() {
        TemplateException e = assertThrows(TemplateException.class, () -> library("plain", file("-- Plain",
                "-- @rollup m measures revenue", "SELECT 1")));
        assertEquals("plain.sql:2: rollup 'm': a rollup belongs to a template with @dimension and @measure lines", e.getMessage());
    }

    @Test
    void aTemplateOfTenantsHasNoRollup() {
        TemplateException e = assertThrows(TemplateException.class, () -> library("shop", file("-- Shop sales",
                "-- @dimension region: r_name",
                "-- @measure revenue: sum(revenue)",
                "-- @rollup m measures revenue",
                "SELECT * FROM sales WHERE tenant_id = :tenant")));
        assertEquals("shop.sql:4: rollup 'm': the template uses :tenant, and a rollup is built once for every tenant; serve its"
                + " tenants from the template, or declare a rollup on a template without :tenant", e.getMessage());
    }
}
