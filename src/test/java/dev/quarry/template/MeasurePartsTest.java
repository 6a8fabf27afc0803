package dev.quarry.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.quarry.template.MeasureParts.Kind;
import dev.quarry.template.MeasureParts.Part;

/** Measures split into the parts a rollup keeps by {@link MeasureParts}. */
class MeasurePartsTest {

    private static List<Part> parts(String expression) {
        MeasureParts parts = MeasureParts.of(expression);
        assertTrue(parts.additive(), () -> parts.nonAdditive().get());
        return parts.calls().stream().flatMap(call -> call.parts().stream()).toList();
    }

    @Test
    void additiveAggregatesAreKeptAsThemselves() {
        assertEquals(List.of(new Part(Kind.SUM, "sum(revenue)")), parts("sum(revenue)"));
        assertEquals(List.of(new Part(Kind.COUNT, "count(*)")), parts("COUNT(*)"));
        assertEquals(List.of(new Part(Kind.MAX, "max(o_orderdate)"), new Part(Kind.MIN, "min(o_orderdate)")),
                parts("max(o_orderdate) - min(o_orderdate)"));
    }

    @Test
    void anAverageIsKeptAsItsSumAndCount() {
        MeasureParts parts = MeasureParts.of("round(avg(l_discount), 4)");
        assertEquals(1, parts.calls().size());
        assertEquals(6, parts.calls().get(0).start());
        assertEquals(21, parts.calls().get(0).end());
        assertTrue(parts.calls().get(0).average());
        assertEquals(List.of(new Part(Kind.SUM, "sum(l_discount)"), new Part(Kind.COUNT, "count(l_discount)")),
                parts.calls().get(0).parts());
    }

    @Test
    void aFilterStaysWithItsAggregate() {
        assertEquals(List.of(new Part(Kind.SUM, "sum(x) FILTER (WHERE y = 'a)')")), parts("sum(x) FILTER (WHERE y = 'a)')"));
    }

    @Test
    void namesThatOnlyLookLikeAggregatesAreNot() {
        assertEquals(List.of(new Part(Kind.SUM, "sum(\"sum(\")")), parts("sum(\"sum(\") + my_sum(1) + t.count"));
    }

    @Test
    void distinctOrderedAndOtherAggregatesAreNonAdditive() {
        assertFalse(MeasureParts.of("count(DISTINCT l_orderkey)").additive());
        assertFalse(MeasureParts.of("string_agg(x, ',' ORDER BY x)").additive());
        assertFalse(MeasureParts.of("percentile_cont(0.5) WITHIN GROUP (ORDER BY x)").additive());
        assertFalse(MeasureParts.of("sum(x) OVER ()").additive());
        assertFalse(MeasureParts.of("42").additive());
        assertTrue(MeasureParts.of("sum(distinct_items)").additive());
    }

    @Test
    void aWindowOverAggregatesIsEvaluatedAgainOverTheirParts() {
        MeasureParts running = MeasureParts.of("sum(sum(revenue)) OVER (PARTITION BY nation ORDER BY month)");
        assertTrue(running.windowed());
        assertEquals(List.of(new Part(Kind.SUM, "sum(revenue)")), parts(running.expression()));
        assertEquals(4, running.calls().get(0).start());
        MeasureParts rank = MeasureParts.of("rank() OVER (PARTITION BY region, month ORDER BY sum(revenue) DESC)");
        assertTrue(rank.windowed());
        assertEquals(List.of(new Part(Kind.SUM, "sum(revenue)")), parts(rank.expression()));
    }

    @Test
    void aWindowOverRowsOrNonAdditiveAggregatesIsNonAdditiveAndWindowed() {
        MeasureParts rows = MeasureParts.of("row_number() OVER (ORDER BY nation)");
        assertFalse(rows.additive());
        assertTrue(rows.windowed());
        MeasureParts distinct = MeasureParts.of("sum(count(DISTINCT o_custkey)) OVER ()");
        assertFalse(distinct.additive());
        assertTrue(distinct.windowed());
        assertFalse(MeasureParts.of("count(DISTINCT o_custkey)").windowed());
    }
}
