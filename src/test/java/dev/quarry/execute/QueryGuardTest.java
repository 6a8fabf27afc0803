package dev.quarry.execute;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.quarry.StatementLog;
import dev.quarry.TestDatabase;
import dev.quarry.templatetest.TemplateTests;
import dev.quarry.templatetest.TestFile;
import dev.quarry.templatetest.TestFileParser;
import dev.quarry.templatetest.TestRun;

/**
 * A page is read-only and stops at the default statement timeout whatever the query guard
 * ({@code quarry.query.guard}), and a template test's case stops there too; what differs is what
 * PostgreSQL receives, read from its own statement log. Each subclass runs these under one guard,
 * with a default timeout of 1 s.
 */
abstract class QueryGuardTest {

    /** A sequence of this test's own. */
    private static final String PROBE_SEQUENCE = "query_guard_probe";
    /** A statement of a template, as opposed to the guard's own statements. */
    static final String TEMPLATE = "(the template's statement)";

    static Map<String, String> settings(String guard) {
        return Map.of("quarry.query.guard", guard, "quarry.query.timeout", "1s");
    }

    @Inject
    Catalog catalog;

    @Inject
    TemplateTests templateTests;

    /** What PostgreSQL receives for a page of a template without a timeout of its own. */
    abstract List<String> pageStatements();

    @Test
    void aPageCannotWrite() throws Exception {
        try (Connection database = TestDatabase.connect(); Statement statement = database.createStatement()) {
            statement.execute("CREATE SEQUENCE " + PROBE_SEQUENCE);
            try {
                given().when().get("/queries/test/advance-sequence?sequence=" + PROBE_SEQUENCE)
                        .then().statusCode(500).contentType("application/problem+json")
                        .body("title", equalTo("Query failed in PostgreSQL"))
                        .body("detail", equalTo("cannot execute nextval() in a read-only transaction (SQLSTATE 25006)"));
                try (ResultSet rs = statement.executeQuery("SELECT is_called FROM " + PROBE_SEQUENCE)) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as("the sequence was never advanced").isFalse();
                }
            } finally {
                statement.execute("DROP SEQUENCE " + PROBE_SEQUENCE);
            }
        }
    }

    @Test
    void aPageStopsAtTheDefaultTimeout() {
        // five seconds of pg_sleep answer 200 unless the default timeout of one second stops them
        given().when().get("/queries/test/sleep?seconds=5")
                .then().statusCode(504).contentType("application/problem+json")
                .body("title", equalTo("Query timed out"));
    }

    @Test
    void aTemplateTestsCaseStopsAtTheDefaultTimeoutUnlessTheTemplateOrTheCaseSetsItsOwn() {
        Map<String, CheckedTemplate> templates = new LinkedHashMap<>();
        templates.put("test/sleep", catalog.find("test/sleep").orElseThrow());
        templates.put("test/sleep-briefly", catalog.find("test/sleep-briefly").orElseThrow());
        Map<String, TestFile> files = Map.of("test/sleep", TestFileParser.parse("sleep.test.yaml", "test/sleep", """
                cases:
                  - name: past the default timeout
                    params: seconds=5
                    expect: []
                  - name: within a timeout of its own above the default
                    params: seconds=1.5
                    timeout: 5s
                    expect:
                      - {n: 1}
                      - {n: 2}
                      - {n: 3}
                """), "test/sleep-briefly", TestFileParser.parse("sleep-briefly.test.yaml", "test/sleep-briefly", """
                cases:
                  - name: past the template's timeout, within the default
                    params: seconds=0.8
                    expect: []
                """));
        TestRun run = templateTests.run(templates, files, result -> {});
        Map<String, String> outcomes = new LinkedHashMap<>();
        run.results().forEach(result -> outcomes.put(result.name(), result.failure().orElse("passed")));
        assertThat(outcomes).containsExactly(
                Map.entry("past the default timeout", "sleep.test.yaml:2: ran past its timeout of 1000 ms"),
                Map.entry("within a timeout of its own above the default", "passed"),
                Map.entry("past the template's timeout, within the default", "sleep-briefly.test.yaml:2: ran past its timeout of 500 ms"));
        assertThat(run.results().get(0).millis()).as("stopped by the timeout, not after the sleep").isLessThan(4_000);
    }

    @Test
    void aPageIsSentAsTheGuardSays() throws Exception {
        assertThat(statementsOf("/queries/tpch/order?orderkey=1")).isEqualTo(pageStatements());
    }

    @Test
    void aPageWithItsCountSharesOneSnapshotUnderEitherGuard() throws Exception {
        assertThat(statementsOf("/queries/tpch/order?orderkey=1&_count=exact")).containsExactly(
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL statement_timeout = 1000", TEMPLATE, TEMPLATE, "COMMIT");
    }

    @Test
    void aTemplatesOwnTimeoutTakesATransactionUnderEitherGuard() throws Exception {
        // test/sleep-briefly declares @timeout 500ms
        assertThat(statementsOf("/queries/test/sleep-briefly?seconds=0")).containsExactly(
                "BEGIN READ ONLY; SET LOCAL statement_timeout = 500", TEMPLATE, "COMMIT");
    }

    @Test
    void aTemplateAskingForCustomPlansTakesATransactionUnderEitherGuard() throws Exception {
        assertThat(statementsOf("/queries/test/custom-plan")).containsExactly(
                "BEGIN READ ONLY; SET LOCAL statement_timeout = 1000; SET LOCAL plan_cache_mode = force_custom_plan", TEMPLATE, "COMMIT");
    }

    @Test
    void aTemplateAskingForCustomPlansGetsThemInPagesAndStreamsAndNoOtherStatementDoes() {
        given().when().get("/queries/test/custom-plan")
                .then().statusCode(200).body("rows[0].plan_cache_mode", equalTo("force_custom_plan"));
        given().accept("application/x-ndjson").when().get("/queries/test/custom-plan")
                .then().statusCode(200).body(equalTo("{\"plan_cache_mode\":\"force_custom_plan\"}\n"));
        // SET LOCAL ends with the transaction: the pool's sessions stay with PostgreSQL's default
        for (int i = 0; i < 3; i++) {
            given().when().get("/queries/test/plan-cache-mode")
                    .then().statusCode(200).body("rows[0].plan_cache_mode", equalTo("auto"));
        }
    }

    /** The statements Quarry's sessions sent for one page that answered 200, the templates' own as {@link #TEMPLATE}. */
    private static List<String> statementsOf(String path) throws Exception {
        Pattern logged = Pattern.compile("(?s)(?:statement|execute [^:]+): (.*)");
        try (Connection database = TestDatabase.connect(); StatementLog log = StatementLog.start(database)) {
            given().when().get(path).then().statusCode(200);
            return log.entries().stream().filter(entry -> entry.application().equals("quarry")).map(entry -> {
                Matcher matcher = logged.matcher(entry.message());
                assertThat(matcher.matches()).as("a logged statement: %s", entry.message()).isTrue();
                String statement = matcher.group(1);
                return statement.startsWith("BEGIN") || statement.equals("COMMIT") ? statement : TEMPLATE;
            }).toList();
        }
    }
}
