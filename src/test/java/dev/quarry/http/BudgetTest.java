package dev.quarry.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.TestDatabase;
import dev.quarry.execute.Catalog;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Budgets end to end: PostgreSQL's estimate of the exact statement a request runs, held against the
 * template's {@code @budget} or the default before anything runs; 422 over it, naming the estimate, the
 * budget and what would narrow the request; 503 when the plan cannot be had or its tables have no
 * statistics; {@code _explain=budget} without running. Over TPC-H at scale 0.01 (15,000 orders).
 */
@QuarkusTest
@TestProfile(Guarded.class)
class BudgetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Catalog catalog;

    @Test
    void aStreamOverItsRowBudgetIs422BeforeAnyByteNamingTheEstimateTheBudgetAndWhatNarrowsIt() throws Exception {
        double refusedBefore = refusals("guarded/orders", "over_rows");
        for (String representation : List.of("application/x-ndjson", "text/event-stream", "text/csv")) {
            Response refused = get("/queries/guarded/orders", representation);
            assertThat(refused.statusCode()).as(representation).isEqualTo(422);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(refused.asString());
            assertThat(problem.path("title").asText()).isEqualTo("Over budget");
            // the whole table, as PostgreSQL's statistics count it
            assertThat(problem.at("/estimate/rows").asLong()).isEqualTo(reltuples("orders")).isEqualTo(15_000);
            assertThat(problem.at("/budget/rows").asLong()).isEqualTo(2000);
            assertThat(problem.path("decision").asText()).isEqualTo("refuse");
            assertThat(problem.path("verdict").asText()).isEqualTo("over_rows");
            assertThat(problem.at("/narrowing/parameters")).extracting(JsonNode::asText).containsExactly("since");
            assertThat(problem.at("/narrowing/filters")).extracting(JsonNode::asText)
                    .containsExactly("o_orderkey", "o_orderdate", "o_totalprice");
            assertThat(problem.path("detail").asText()).isEqualTo("query 'guarded/orders' is estimated by PostgreSQL at cost "
                    + Math.round(problem.at("/estimate/cost").asDouble())
                    + " and 15000 rows, over its budget (rows 2000, from @budget); narrow it "
                    + "with the parameters since, or filters on o_orderkey, o_orderdate, o_totalprice");
        }
        assertThat(refusals("guarded/orders", "over_rows")).isEqualTo(refusedBefore + 3);

        // narrowed by its parameter, or by a filter, it is within its budget and runs
        String lines = get("/queries/guarded/orders?since=1998-07-01", "application/x-ndjson").then().statusCode(200).extract().asString();
        assertThat(lines.lines().count()).isEqualTo(count("SELECT count(*) FROM orders WHERE o_orderdate >= DATE '1998-07-01'"))
                .isGreaterThan(0);
        assertThat(lines.lines()).allMatch(line -> line.compareTo("{\"o_orderkey\":") > 0 && line.contains("\"o_orderdate\":\"1998-0"));
        String filtered = get("/queries/guarded/orders?o_orderkey__lt=100", "application/x-ndjson").then().statusCode(200).extract()
                .asString();
        assertThat(filtered.lines().count()).isEqualTo(count("SELECT count(*) FROM orders WHERE o_orderkey < 100"));
    }

    @Test
    void aPageOverItsCostBudgetIs422AndWithinItRunsWithTheRightAnswer() throws Exception {
        Response refused = get("/queries/guarded/line-prices?upto=60000", "application/json");
        assertThat(refused.statusCode()).isEqualTo(422);
        JsonNode problem = JSON.readTree(refused.asString());
        assertThat(problem.path("verdict").asText()).isEqualTo("over_cost");
        assertThat(problem.at("/estimate/cost").asDouble()).isGreaterThan(1000);
        assertThat(problem.at("/budget/cost").asDouble()).isEqualTo(1000);
        assertThat(problem.at("/narrowing/parameters")).isEmpty();
        assertThat(problem.at("/narrowing/filters")).extracting(JsonNode::asText).containsExactly("l_returnflag", "lines", "price");

        JsonNode page = JSON.readTree(get("/queries/guarded/line-prices?upto=100", "application/json").then()
                .statusCode(200).extract().asString());
        long lines = 0;
        for (JsonNode row : page.path("rows")) {
            lines += row.path("lines").asLong();
        }
        assertThat(lines).isEqualTo(count("SELECT count(*) FROM lineitem WHERE l_orderkey <= 100")).isGreaterThan(0);
    }

    @Test
    void aRolesBudgetRefusesItsCallersWhatOthersRun() throws Exception {
        double refusedBefore = refusals("tpch/q06", "over_cost");
        String bulk = TestTokens.validFor("bulk-caller", "bulk");
        Response refused = given().accept("application/json").auth().oauth2(bulk).when().get("/queries/tpch/q06");
        assertThat(refused.statusCode()).isEqualTo(422);
        JsonNode problem = JSON.readTree(refused.asString());
        assertThat(problem.path("verdict").asText()).isEqualTo("over_cost");
        assertThat(problem.at("/budget/cost").asDouble()).isEqualTo(10);
        assertThat(problem.path("budget_from").asText()).isEqualTo("role bulk");
        assertThat(problem.path("detail").asText()).contains("over its budget (cost 10, from role bulk)");
        assertThat(refusals("tpch/q06", "over_cost")).isEqualTo(refusedBefore + 1);
        // what the caller would be told before running, and what the catalog shows it
        JsonNode explained = JSON.readTree(given().accept("application/json").auth().oauth2(bulk).when()
                .get("/queries/tpch/q06?_explain=budget").asString());
        assertThat(explained.path("decision").asText()).isEqualTo("refuse");
        assertThat(explained.path("budget_from").asText()).isEqualTo("role bulk");
        JsonNode catalog = JSON.readTree(given().accept("application/json").auth().oauth2(bulk).when().get("/queries").asString());
        assertThat(catalog.findValues("name").stream().map(JsonNode::asText).toList()).contains("tpch/q06");
        for (JsonNode entry : catalog) {
            if (entry.path("name").asText().equals("tpch/q06")) {
                assertThat(entry.at("/budget/cost").asDouble()).isEqualTo(10);
            }
        }

        // a caller without the role runs it under the default budget, with the right answer
        JsonNode page = JSON.readTree(get("/queries/tpch/q06", "application/json").then().statusCode(200).extract().asString());
        assertThat(page.at("/rows/0/revenue").decimalValue()).isEqualByComparingTo(decimal("SELECT sum(l_extendedprice * l_discount) "
                + "FROM lineitem WHERE l_shipdate >= date '1994-01-01' AND l_shipdate < date '1995-01-01' "
                + "AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24"));
    }

    @Test
    void aRequestAskedAgainWithinAMinuteIsNotPlannedAgain() throws Exception {
        double plannedBefore = metric("quarry_budget_plans_total");
        double refusedBefore = refusals("guarded/line-prices", "over_cost");
        List<Double> estimates = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Response refused = get("/queries/guarded/line-prices?upto=59123", "application/json");
            assertThat(refused.statusCode()).isEqualTo(422);
            estimates.add(JSON.readTree(refused.asString()).at("/estimate/cost").asDouble());
        }
        assertThat(metric("quarry_budget_plans_total") - plannedBefore).isEqualTo(1);
        assertThat(estimates).containsOnly(estimates.get(0));
        assertThat(refusals("guarded/line-prices", "over_cost")).isEqualTo(refusedBefore + 10);
        // other values are other requests: planned with their own
        assertThat(get("/queries/guarded/line-prices?upto=117", "application/json").statusCode()).isEqualTo(200);
        assertThat(metric("quarry_budget_plans_total") - plannedBefore).isEqualTo(2);
    }

    @Test
    void explainBudgetAnswersTheEstimateAndTheDecisionWithoutRunning() throws Exception {
        double refusedBefore = refusals("guarded/line-prices", "over_cost");
        JsonNode over = JSON.readTree(get("/queries/guarded/line-prices?upto=60000&_explain=budget", "application/json").then()
                .statusCode(200).extract().asString());
        assertThat(over.path("decision").asText()).isEqualTo("refuse");
        assertThat(over.path("verdict").asText()).isEqualTo("over_cost");
        // the very estimate of the statement the page runs, as _explain=true shows its plan
        JsonNode plan = JSON.readTree(get("/queries/guarded/line-prices?upto=60000&_explain=true", "application/json").then()
                .statusCode(200).extract().asString()).path("plan").get(0).path("Plan");
        assertThat(over.at("/estimate/cost").asDouble()).isEqualTo(plan.path("Total Cost").asDouble());
        assertThat(over.at("/estimate/rows").asLong()).isEqualTo(plan.path("Plan Rows").asLong());
        // explaining is not refusing
        assertThat(refusals("guarded/line-prices", "over_cost")).isEqualTo(refusedBefore);

        JsonNode within = JSON.readTree(get("/queries/guarded/line-prices?_explain=budget", "application/json").asString());
        assertThat(within.path("decision").asText()).isEqualTo("run");
        assertThat(within.path("verdict").asText()).isEqualTo("within");
        assertThat(within.at("/estimate/cost").asDouble()).isLessThan(1000);

        // the default budget for a template without its own; none with @budget off, but the estimate all the same
        JsonNode byDefault = JSON.readTree(get("/queries/tpch/q06?_explain=budget", "application/json").asString());
        assertThat(byDefault.at("/budget/cost").asDouble()).isEqualTo(1e8);
        assertThat(byDefault.path("verdict").asText()).isEqualTo("within");
        JsonNode off = JSON.readTree(get("/queries/guarded/sleep?_explain=budget", "application/json").asString());
        assertThat(off.path("verdict").asText()).isEqualTo("unbounded");
        assertThat(off.path("decision").asText()).isEqualTo("run");
        assertThat(off.path("budget").isEmpty()).isTrue();
        assertThat(off.at("/estimate/rows").asLong()).isEqualTo(1);
    }

    @Test
    void aTableWithoutStatisticsIsRefusedRatherThanTrustedThenAnalyzedItIsJudgedOnItsEstimate() throws Exception {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS guard_unanalyzed");
            statement.execute("CREATE TABLE guard_unanalyzed (id int, v int) WITH (autovacuum_enabled = off)");
            statement.execute("INSERT INTO guard_unanalyzed SELECT n, 1 FROM generate_series(1, 100000) AS n");
            catalog.reload();
            // PostgreSQL's guess without statistics: a fraction of the rows, well within the budget of 10,000
            try (ResultSet guess = statement.executeQuery("EXPLAIN (FORMAT JSON) SELECT id, v FROM guard_unanalyzed WHERE v = 1")) {
                guess.next();
                assertThat(JSON.readTree(guess.getString(1)).get(0).at("/Plan/Plan Rows").asLong()).isLessThan(10_000);
            }
            Response refused = get("/queries/guarded/unanalyzed?v=1", "application/x-ndjson");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isNull(); // trying again will not help: ANALYZE will
            JsonNode problem = JSON.readTree(refused.asString());
            assertThat(problem.path("title").asText()).isEqualTo("Budget not checked");
            assertThat(problem.path("verdict").asText()).isEqualTo("no_statistics");
            assertThat(problem.at("/estimate/unanalyzed")).extracting(JsonNode::asText).containsExactly("guard_unanalyzed");
            assertThat(problem.path("detail").asText()).contains("PostgreSQL has no statistics for guard_unanalyzed",
                    "run ANALYZE on it");

            statement.execute("ANALYZE guard_unanalyzed");
            JsonNode over = JSON.readTree(get("/queries/guarded/unanalyzed?v=1", "application/x-ndjson").then().statusCode(422)
                    .extract().asString());
            assertThat(over.at("/estimate/rows").asLong()).isEqualTo(100_000);
            assertThat(over.path("verdict").asText()).isEqualTo("over_rows");
        }
    }

    @Test
    void aPlanThatCannotBeHadIs503SayingSoAndNothingRuns() throws Exception {
        try (Connection lock = TestDatabase.connect()) {
            // planning needs a lock on region that this transaction holds: the EXPLAIN times out (the template's 1 s)
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE region IN ACCESS EXCLUSIVE MODE");
            }
            Response refused = get("/queries/guarded/region-names", "application/json");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            JsonNode problem = JSON.readTree(refused.asString());
            assertThat(problem.path("title").asText()).isEqualTo("Budget not checked");
            assertThat(problem.path("verdict").asText()).isEqualTo("no_plan");
            assertThat(problem.path("detail").asText()).contains("could not be obtained", "statement timeout");
            lock.commit();
        }
        JsonNode page = JSON.readTree(get("/queries/guarded/region-names?_sort=r_name", "application/json").then().statusCode(200)
                .extract().asString());
        assertThat(page.path("rows").findValuesAsText("r_name")).containsExactly("AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST");
    }

    @Test
    void aLookupByKeyIsPlannedUntilItsEstimateShowsItDoesNotDependOnTheKeyThenRarely() throws Exception {
        // tpch/order has the default budget (cost 1e8): every request is checked. Its estimate is one row
        // whatever the key, so after eight keys the shape keeps it and plans one request in 128 again.
        double before = metric("quarry_budget_plans_total");
        int lookups = 200;
        for (int i = 1; i <= lookups; i++) {
            int key = i / 8 * 32 + i % 8; // the i-th of TPC-H's sparse keys: 1..7, 32..39, 64..71, ...
            JsonNode page = JSON.readTree(get("/queries/tpch/order?orderkey=" + key, "application/json").then().statusCode(200)
                    .extract().asString());
            assertThat(page.at("/rows/0/o_orderkey").asInt()).isEqualTo(key);
        }
        assertThat(metric("quarry_budget_plans_total") - before).isBetween(8.0, 8.0 + lookups / 128 + 1);
    }

    private static Response get(String path, String accept) {
        return given().accept(accept).auth().oauth2(TestTokens.validFor("budget-tester")).when().get(path);
    }

    /** quarry_query_refused_total of a template and reason, from the Prometheus exposition. */
    static double refusals(String template, String reason) {
        return metric("quarry_query_refused_total{reason=\"" + reason + "\",template=\"" + template + "\"}");
    }

    /** One series of the Prometheus exposition, 0 when it is not there yet. */
    private static double metric(String series) {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()).strip()))
                .findFirst().orElse(0);
    }

    private static long reltuples(String table) throws SQLException {
        return count("SELECT reltuples::bigint FROM pg_class WHERE oid = '" + table + "'::regclass");
    }

    private static BigDecimal decimal(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getBigDecimal(1);
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
