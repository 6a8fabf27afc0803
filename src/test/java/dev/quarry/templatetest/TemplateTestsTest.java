package dev.quarry.templatetest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.quarry.TestDatabase;
import dev.quarry.execute.Catalog;
import dev.quarry.execute.CheckedTemplate;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The runner itself, on test files written here against the test templates: a failure shows its diff
 * and {@code file:line}, bad input is a failed case and never stops the run, a query PostgreSQL fails
 * is told as a request's problem, and cases are isolated.
 */
@QuarkusTest
class TemplateTestsTest {

    /** One order of a customer, a case's given rows for test/orders. */
    private static final String ONE_ORDER = """
                given:
                  orders:
                    - {o_orderkey: 7, o_custkey: 1, o_orderdate: 1995-02-03, o_totalprice: 10.50}
                  customer:
                    - {c_custkey: 1, c_name: Alice}
            """;

    @Inject
    Catalog catalog;

    @Inject
    TemplateTests tests;

    @Test
    void aFailingCaseShowsItsDiffAndWhereItIs() {
        TestRun run = run("test/orders", """
                cases:
                  - name: right
                """ + ONE_ORDER + """
                    expect:
                      - {o_orderkey: 7, o_orderdate: 1995-02-03, o_totalprice: 10.50, c_name: Alice}
                  - name: wrong total
                """ + ONE_ORDER + """
                    expect:
                      - {o_orderkey: 7, o_totalprice: 10.5}
                """);
        assertEquals(List.of("right", "wrong total"), run.results().stream().map(CaseResult::name).toList());
        assertTrue(run.results().get(0).passed(), run.results().get(0).failure().orElse(""));
        String failure = run.results().get(1).failure().orElseThrow();
        assertEquals("""
                file.test.yaml:10: rows differ (in order; - expected, + actual):
                  - {o_orderkey: 7, o_totalprice: 10.5}
                  + {o_orderkey: 7, o_totalprice: 10.50}""", failure);
        assertEquals(1, run.passed());
        assertEquals(1, run.failed());
    }

    @Test
    void malformedYamlIsAFailedCaseWithItsLine() {
        TestRun run = run("test/orders", """
                cases:
                  - name: unclosed
                    expect: [{o_orderkey: 7
                """);
        assertEquals(1, run.results().size());
        assertTrue(run.results().get(0).failure().orElseThrow().matches("file\\.test\\.yaml:[34]: not valid YAML: .*"),
                run.results().get(0).failure().orElseThrow());
    }

    @Test
    void unknownTablesColumnsAndParametersFailTheirCaseAndTheRunGoesOn() {
        TestRun run = run("test/orders", """
                cases:
                  - name: unknown table
                    given:
                      no_such_table:
                        - {a: 1}
                    expect: []
                  - name: unknown column
                    given:
                      orders:
                        - {o_orderkey: 1, o_colour: red}
                    expect: []
                  - name: undeclared parameter
                    params: colour=red
                    expect: []
                  - name: a value PostgreSQL cannot read
                    given:
                      orders:
                        - {o_orderkey: 1, o_orderdate: yesterday-ish}
                    expect: []
                  - name: still runs
                    expect: []
                """);
        List<String> failures = run.results().stream().map(result -> result.failure().orElse("passed")).toList();
        assertEquals("file.test.yaml:4: there is no table or view 'no_such_table' on the search path to give rows to", failures.get(0));
        assertTrue(failures.get(1).startsWith("file.test.yaml:10: orders has no column 'o_colour'; its columns are o_orderkey, "),
                failures.get(1));
        assertTrue(failures.get(2).startsWith("file.test.yaml:12: the request is refused (400): colour "), failures.get(2));
        assertTrue(failures.get(3).startsWith("file.test.yaml:18: this row does not fit orders: invalid input syntax for type date"),
                failures.get(3));
        assertEquals("passed", failures.get(4));
    }

    @Test
    void aCasePastItsTimeoutFailsAndTheNextRuns() {
        TestRun run = run("test/sleep", """
                cases:
                  - name: too slow
                    params: seconds=20
                    timeout: 500ms
                    expect: []
                  - name: quick
                    params: seconds=0
                    expect:
                      - {n: 1, slept: false}
                      - {n: 2, slept: false}
                      - {n: 3, slept: false}
                """);
        assertEquals("file.test.yaml:2: ran past its timeout of 500 ms", run.results().get(0).failure().orElseThrow());
        assertTrue(run.results().get(0).millis() < 10_000, run.results().get(0).millis() + " ms");
        assertTrue(run.results().get(1).passed(), run.results().get(1).failure().orElse(""));
    }

    @Test
    void aCaseFailingInPostgreSqlReportsWhatARequestGetsAndTheNextRuns() throws SQLException {
        try (Connection database = TestDatabase.connect(); Statement statement = database.createStatement()) {
            statement.execute("CREATE SEQUENCE template_tests_probe");
            try {
                TestRun run = run("test/advance-sequence", """
                        cases:
                          - name: a write in the template
                            params: sequence=template_tests_probe
                            expect: []
                          - name: an unknown sequence
                            params: sequence=no_such_sequence
                            expect: []
                        """);
                String detail = given().when().get("/queries/test/advance-sequence?sequence=template_tests_probe")
                        .then().statusCode(500).body("title", equalTo("Query failed in PostgreSQL"))
                        .extract().path("detail");
                assertEquals("cannot execute nextval() in a read-only transaction (SQLSTATE 25006)", detail);
                assertEquals("file.test.yaml:2: the request fails (500 Query failed in PostgreSQL): " + detail,
                        run.results().get(0).failure().orElseThrow());
                assertEquals("file.test.yaml:5: the request fails (500 Query failed in PostgreSQL): relation \"no_such_sequence\" "
                        + "does not exist (SQLSTATE 42P01)", run.results().get(1).failure().orElseThrow());
                try (ResultSet rows = statement.executeQuery("SELECT is_called FROM template_tests_probe")) {
                    rows.next();
                    assertFalse(rows.getBoolean(1), "the case's transaction was read-only when the template ran");
                }
            } finally {
                statement.execute("DROP SEQUENCE template_tests_probe");
            }
        }
    }

    @Test
    void aCaseRunsUnderItsTemplatesPlanSettingAsARequestDoes() {
        TestRun custom = run("test/custom-plan", """
                cases:
                  - name: planned for each run
                    expect:
                      - {plan_cache_mode: force_custom_plan}
                """);
        TestRun auto = run("test/plan-cache-mode", """
                cases:
                  - name: left to PostgreSQL
                    expect:
                      - {plan_cache_mode: auto}
                """);
        assertTrue(custom.results().get(0).passed(), custom.results().get(0).failure().orElse(""));
        assertTrue(auto.results().get(0).passed(), auto.results().get(0).failure().orElse(""));
    }

    @Test
    void anExpectedProblemMustNameTheParameter() {
        TestRun run = run("test/sleep", """
                cases:
                  - name: refused as expected
                    params: seconds=61
                    expect_problem: {status: 400, parameter: seconds}
                  - name: refused for another parameter
                    params: seconds=61
                    expect_problem: {status: 400, parameter: _limit}
                  - name: accepted
                    params: seconds=0
                    expect_problem: {status: 400, parameter: seconds}
                """);
        assertTrue(run.results().get(0).passed(), run.results().get(0).failure().orElse(""));
        assertTrue(run.results().get(1).failure().orElseThrow()
                .startsWith("file.test.yaml:5: expected a 400 naming _limit, got a 400 naming seconds"));
        assertEquals("file.test.yaml:8: expected a 400 naming seconds, but the request was accepted",
                run.results().get(2).failure().orElseThrow());
    }

    @Test
    void casesNeverSeeTheRealTablesNorEachOthersRowsAndLeaveNothingBehind() throws SQLException {
        long ordersBefore = count("orders");
        Map<String, TestFile> files = new LinkedHashMap<>();
        files.put("test/orders", TestFileParser.parse("orders.test.yaml", "test/orders", """
                cases:
                  - name: only the given order
                """ + ONE_ORDER + """
                    expect:
                      - {o_orderkey: 7, c_name: Alice}
                  - name: the previous case's rows are gone
                    expect: []
                """));
        files.put("test/order-revenue", TestFileParser.parse("order-revenue.test.yaml", "test/order-revenue", """
                cases:
                  - name: another template's case sees none of them
                    given:
                      lineitem:
                        - {l_orderkey: 9, l_extendedprice: 2.00, l_discount: 0.50}
                    expect:
                      - {l_orderkey: 9, revenue: 1.0000, lines: 1}
                """));
        TestRun run = tests.run(templates("test/orders", "test/order-revenue"), files, result -> {});
        assertEquals(List.of(), run.results().stream().flatMap(result -> result.failure().stream()).toList());
        assertEquals(3, run.passed());
        assertEquals(ordersBefore, count("orders"));
        assertTrue(ordersBefore > 1000, "the real table keeps its rows: " + ordersBefore);
    }

    @Test
    void unexercisedBlocksAndDimensionsAreReported() {
        TestRun echo = run("test/echo", """
                cases:
                  - name: no nation given
                    expect: []
                """);
        assertEquals(1, echo.unexercised().get("test/echo").size());
        assertTrue(echo.unexercised().get("test/echo").get(0).matches(
                "test/echo.sql:20: optional block is never kept \\(no case gives :texts\\)"), echo.unexercised().toString());
        assertTrue(echo.succeeded(false));
        assertTrue(!echo.succeeded(true));

        TestRun cube = run("test/echo-cube", """
                cases:
                  - name: by region
                    params: _group=region&_measures=nations
                    given:
                      nation:
                        - {n_nationkey: 1, n_name: A, n_regionkey: 1}
                        - {n_nationkey: 2, n_name: B, n_regionkey: 1}
                      region:
                        - {r_regionkey: 1, r_name: EUROPE}
                    expect:
                      - {region: EUROPE, nations: 2}
                """);
        assertTrue(cube.results().get(0).passed(), cube.results().get(0).failure().orElse(""));
        assertEquals(List.of("test/echo-cube.sql: dimension 'nation' is never grouped by (_group)",
                "test/echo-cube.sql: dimension 'matched' is never grouped by (_group)"), cube.unexercised().get("test/echo-cube"));
    }

    private TestRun run(String template, String yaml) {
        return tests.run(templates(template),
                Map.of(template, TestFileParser.parse("file.test.yaml", template, yaml)), result -> {});
    }

    private Map<String, CheckedTemplate> templates(String... names) {
        Map<String, CheckedTemplate> templates = new LinkedHashMap<>();
        for (String name : names) {
            templates.put(name, catalog.find(name).orElseThrow());
        }
        return templates;
    }

    private static long count(String table) throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
