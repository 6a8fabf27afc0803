package dev.quarry.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.quarry.render.CursorCodec;
import dev.quarry.render.QueryRequest;
import dev.quarry.render.RequestParser;
import dev.quarry.render.RowSource;
import dev.quarry.template.ResultColumn;
import dev.quarry.template.RollupDeclaration;
import dev.quarry.template.Template;
import dev.quarry.template.TemplateText;

/** {@link RollupMatcher}'s rules, without a database: which rollup answers which request, and why the others do not. */
class RollupMatcherTest {

    private static final Template CUBE = TemplateText.library("a/cube", TemplateText.file(
            "-- Sales cube",
            "-- @param since date = 1992-01-01 range 1992-01-01..1999-01-01",
            "-- @param until date = 1999-01-01 range 1992-01-01..1999-01-01",
            "-- @param mode text = AIR",
            "-- @dimension region: r_name",
            "-- @dimension nation: n_name",
            "-- @dimension year: extract(YEAR FROM o_orderdate)::int",
            "-- @measure revenue: sum(revenue)",
            "-- @measure orders: count(DISTINCT l_orderkey)",
            "-- @measure avg_price: avg(price)",
            "-- @measure spread: sum(weight)",
            "-- @rollup monthly dimensions region, nation, year",
            "-- @rollup monthly time o_orderdate month",
            "-- @rollup monthly measures revenue, avg_price, spread",
            "-- @rollup monthly where o_orderdate >= :since::date AND o_orderdate < :until::date",
            "-- @rollup yearly dimensions region, year",
            "-- @rollup yearly time o_orderdate year",
            "-- @rollup yearly measures revenue",
            "-- @rollup yearly where o_orderdate >= :since::date AND o_orderdate < :until::date",
            "-- @rollup nations dimensions region, nation",
            "-- @rollup nations measures revenue, orders",
            "SELECT * FROM sales WHERE o_orderdate >= :since AND o_orderdate < :until AND mode = :mode")).get("a/cube");

    private static final List<ResultColumn> COLUMNS = List.of(new ResultColumn("region", "text"), new ResultColumn("nation", "text"),
            new ResultColumn("year", "integer"), new ResultColumn("revenue", "numeric"), new ResultColumn("orders", "bigint"),
            new ResultColumn("avg_price", "numeric"), new ResultColumn("spread", "double precision"));

    private static QueryRequest request(String... namesAndValues) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            query.computeIfAbsent(namesAndValues[i], name -> new ArrayList<>()).add(namesAndValues[i + 1]);
        }
        return RequestParser.parse(CUBE, COLUMNS, query, OptionalInt.empty(),
                new CursorCodec("secret".getBytes(StandardCharsets.UTF_8)), Optional.empty());
    }

    private static List<RollupCandidate> usable(String... unusable) {
        List<RollupCandidate> candidates = new ArrayList<>();
        for (RollupDeclaration rollup : CUBE.header().rollups()) {
            boolean built = !List.of(unusable).contains(rollup.name());
            candidates.add(new RollupCandidate(rollup, Map.of(), built ? Optional.of(Instant.EPOCH) : Optional.empty()));
        }
        return candidates;
    }

    private static RollupDecision match(QueryRequest request, String... unusable) {
        return RollupMatcher.match(CUBE, request, usable(unusable), false);
    }

    private static String chosen(RollupDecision decision) {
        return decision.rollup().map(rollup -> rollup.rollup().name()).orElse("template");
    }

    private static Map<String, String> rejected(RollupDecision decision) {
        Map<String, String> reasons = new LinkedHashMap<>();
        decision.rejections().forEach(rejection -> reasons.put(rejection.rollup(), rejection.reason()));
        return reasons;
    }

    @Test
    void theSmallestRollupThatAnswersExactlyIsChosen() {
        RollupDecision decision = match(request("_group", "region,year", "_measures", "revenue"));
        assertThat(chosen(decision)).isEqualTo("yearly");
        assertThat(decision.builtAt()).contains(Instant.EPOCH);
        assertThat(rejected(decision)).containsExactly(
                Map.entry("nations", "it does not keep dimension year"),
                Map.entry("monthly", "answers exactly too, but yearly is smaller (3 grouping columns against 4)"));
    }

    @Test
    void aGrandTotalIsAnsweredByAnyRollupThatHoldsItsMeasures() {
        assertThat(chosen(match(request("_measures", "revenue")))).isEqualTo("nations");
    }

    @Test
    void aMeasureTheRollupDoesNotHoldRejectsIt() {
        RollupDecision decision = match(request("_group", "region", "_measures", "avg_price"));
        assertThat(chosen(decision)).isEqualTo("monthly");
        assertThat(rejected(decision)).containsEntry("yearly", "it does not hold measure avg_price");
    }

    @Test
    void aNonAdditiveMeasureIsAnsweredOnlyAtExactlyTheRollupsGrain() {
        assertThat(chosen(match(request("_group", "nation,region", "_measures", "orders,revenue")))).isEqualTo("nations");
        RollupDecision coarser = match(request("_group", "region", "_measures", "orders"));
        assertThat(chosen(coarser)).isEqualTo("template");
        assertThat(rejected(coarser).get("nations")).isEqualTo("measure orders is exact only at its own grain (region, nation), since "
                + "count(DISTINCT ...) counts each value once, which parts cannot add up; the request groups by region");
    }

    @Test
    void aFloatMeasureIsNeverAnsweredFromARollup() {
        RollupDecision decision = match(request("_group", "region", "_measures", "spread"));
        assertThat(chosen(decision)).isEqualTo("template");
        assertThat(rejected(decision).get("monthly"))
                .isEqualTo("measure spread is a float, whose sums depend on the order rows are added in");
    }

    @Test
    void parametersItsWhereNamesMustFallOnItsGrain() {
        assertThat(chosen(match(request("_group", "region", "_measures", "revenue", "since", "1995-01-01")))).isEqualTo("yearly");
        RollupDecision march = match(request("_group", "region", "_measures", "revenue", "since", "1995-03-01"));
        assertThat(chosen(march)).isEqualTo("monthly");
        assertThat(rejected(march).get("yearly")).isEqualTo("since=1995-03-01 does not fall on its year grain");
        assertThat(rejected(march).get("nations")).isEqualTo("it is built for since=1992-01-01, the request asks since=1995-03-01");
        assertThat(chosen(match(request("_group", "region", "_measures", "revenue", "until", "1995-03-15")))).isEqualTo("template");
    }

    @Test
    void otherParametersMustHaveTheirBuildValues() {
        RollupDecision decision = match(request("_group", "region", "_measures", "revenue", "mode", "SHIP"));
        assertThat(chosen(decision)).isEqualTo("template");
        assertThat(rejected(decision).get("yearly")).isEqualTo("it is built for mode=AIR, the request asks mode=SHIP");
    }

    @Test
    void anOptionalParameterItsWhereNamesMayBeLeftOut() {
        Template shop = TemplateText.library("a/shop", TemplateText.file(
                "-- Shop sales",
                "-- @param region text optional",
                "-- @dimension region: r_name",
                "-- @measure revenue: sum(revenue)",
                "-- @rollup all dimensions region",
                "-- @rollup all measures revenue",
                "-- @rollup all where :region::text IS NULL OR region = :region::text",
                "SELECT * FROM sales /*[ WHERE r_name = :region ]*/")).get("a/shop");
        List<ResultColumn> columns = List.of(new ResultColumn("region", "text"), new ResultColumn("revenue", "numeric"));
        List<RollupCandidate> candidates = List
                .of(new RollupCandidate(shop.header().rollups().get(0), Map.of(), Optional.of(Instant.EPOCH)));
        CursorCodec cursors = new CursorCodec("secret".getBytes(StandardCharsets.UTF_8));
        for (Map<String, List<String>> query : List.of(Map.<String, List<String>>of(), Map.of("region", List.of("ASIA")))) {
            QueryRequest request = RequestParser.parse(shop, columns, query, OptionalInt.empty(), cursors, Optional.empty());
            assertThat(chosen(RollupMatcher.match(shop, request, candidates, false))).as(query.toString()).isEqualTo("all");
        }
    }

    @Test
    void filtersSortsAndPagesNeedNothingOfTheRollup() {
        assertThat(chosen(match(request("_group", "region,year", "_measures", "revenue", "region__ne", "ASIA", "revenue__gte", "10",
                "_sort", "-revenue", "_limit", "3", "_offset", "2")))).isEqualTo("yearly");
    }

    @Test
    void aRollupThatIsNotUsableIsPassedOver() {
        RollupDecision decision = match(request("_group", "region,year", "_measures", "revenue"), "yearly");
        assertThat(chosen(decision)).isEqualTo("monthly");
        assertThat(rejected(decision).get("yearly")).startsWith("its table is not usable now");
    }

    @Test
    void offAsksForTheTemplate() {
        RollupDecision decision = RollupMatcher.match(CUBE, request("_group", "region", "_measures", "revenue"), usable(), true);
        assertThat(decision.source()).isEqualTo(new RowSource.Body(CUBE));
        assertThat(rejected(decision).values()).containsOnly("the request asks for the template (_rollup=off)");
    }
}
