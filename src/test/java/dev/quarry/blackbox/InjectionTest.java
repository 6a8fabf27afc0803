package dev.quarry.blackbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.quarry.StatementLog;
import dev.quarry.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Classic injection payloads in every place a request can put text. Each answer is either a 400
 * problem naming the parameter, or a 200 whose rows are what PostgreSQL returns for that literal
 * value, computed here on a JDBC connection with the value bound. Meanwhile PostgreSQL logs every
 * statement ({@link StatementLog}); at the end every statement Quarry sent must be one of the
 * statements its templates render for a harmless value, with the payloads only among the bound
 * values, and the database must hold the same tables with the same row counts.
 *
 * <p>The places: test/echo's text and text[] parameters, test/paging's int parameter, filter values
 * on text, integer and boolean columns, filter names, {@code _sort}, {@code _group} and
 * {@code _measures} (test/echo-cube), {@code _after} and {@code Last-Event-ID}, a cursor whose
 * values hold the payload, {@code _limit}, {@code _offset}, {@code _count}, {@code _explain}, and
 * the query name in the path.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InjectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ECHO = "/queries/test/echo";
    private static final String CUBE = "/queries/test/echo-cube";
    private static final String PAGING = "/queries/test/paging";
    private static final String HARMLESS = "plain";

    private static Connection database;
    private static StatementLog log;
    private static Map<String, Long> tablesBefore;
    /** The SQL of every query that answered 200, as rendered for the harmless value: all Quarry may send. */
    private static final Set<String> RENDERED = new LinkedHashSet<>();
    /** The SQL for each harmless request, asked once. */
    private static final Map<Request, String> HARMLESS_SQL = new java.util.HashMap<>();
    private static List<Integer> nations;

    static Stream<Named<String>> payloads() {
        return Stream.of(
                Named.of("quote", "'"),
                Named.of("two quotes", "''"),
                Named.of("or 1=1", "' OR '1'='1"),
                Named.of("stacked drop", "1; DROP TABLE orders; --"),
                Named.of("quote stacked drop", "'; DROP TABLE nation; --"),
                Named.of("comment", "/* */"),
                Named.of("comment escape", "*/ OR 1=1 /*"),
                Named.of("line comment", "FRANCE'--"),
                Named.of("dollar quote", "$$"),
                Named.of("tagged dollar quote", "$tag$ SELECT 1 $tag$"),
                Named.of("placeholder", "$1"),
                Named.of("union", ") UNION SELECT n_nationkey, n_name, r_name, '', 0, true FROM nation --"),
                Named.of("quote union", "' UNION SELECT current_user --"),
                Named.of("cast", "::text"),
                Named.of("cast stacked sleep", "1::int; SELECT pg_sleep(5)"),
                Named.of("concatenated sleep", "'||pg_sleep(5)||'"),
                Named.of("hex escape", "\\x27"),
                Named.of("backslash quote", "\\' OR 1=1 --"),
                Named.of("escape string", "E'\\\\''"),
                Named.of("backslashes", "\\\\'\\"),
                Named.of("percent-encoded quote", "%27 OR %271%27=%271"),
                Named.of("percent-encoded NUL", "%00"),
                Named.of("NUL", "a\u0000'; DROP TABLE nation; --"),
                Named.of("right single quotation mark", "\u2019 OR \u20191\u2019=\u20191"),
                Named.of("fullwidth apostrophe", "\uFF07 OR \uFF071\uFF07=\uFF071"),
                Named.of("modifier apostrophe", "\u02BC; DROP TABLE nation; --"),
                Named.of("quote with combining accent", "'\u0301 OR 1=1 --"),
                Named.of("name with combining accent", "FRANCE\u0301"),
                Named.of("right-to-left override", "\u202E'; DROP TABLE nation; --\u202C"),
                Named.of("right-to-left mark", "\u200FFRANCE"),
                Named.of("emoji", "\uD83D\uDE00'"),
                Named.of("newline and CR", "a\n'; DROP TABLE nation; --\r\nb"),
                Named.of("quoted identifier", "\"n_name\""),
                Named.of("quote in identifier", "n_name\"; DROP TABLE nation; --"),
                Named.of("sort clause", "n_name DESC; DROP TABLE nation"),
                Named.of("ampersand", "x&_sort=n_name"),
                Named.of("over-long quotes", "'".repeat(5_000)),
                Named.of("over-long text", "A".repeat(20_000)),
                Named.of("real name", "FRANCE"),
                Named.of("two real names", "FRANCE,GERMANY"),
                Named.of("empty", ""),
                Named.of("blank", "  "),
                Named.of("commas", " , ,"));
    }

    @BeforeAll
    static void watchTheDatabase() throws Exception {
        database = TestDatabase.connect();
        tablesBefore = tables();
        nations = ints("SELECT n_nationkey FROM nation ORDER BY 1");
        assertThat(tablesBefore).containsKeys("public.nation", "public.orders", "public.lineitem");
        log = StatementLog.start(database);
    }

    @AfterAll
    static void stopWatching() throws SQLException {
        if (log != null) {
            log.close();
        }
        if (database != null) {
            database.close();
        }
    }

    // template parameters

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    @Order(1)
    void inATextParameter(String payload) throws Exception {
        Response answer = get(ECHO, Map.of("text", payload, "_limit", "100"));
        if (payload.indexOf('\u0000') >= 0) {
            refused(answer, "text");
            return;
        }
        List<JsonNode> rows = rows(answer);
        assertThat(rows).extracting(row -> row.get("n_nationkey").asInt()).isEqualTo(nations);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("echoed").asText()).isEqualTo(payload);
            assertThat(row.get("characters").asInt()).isEqualTo(payload.codePointCount(0, payload.length()));
        });
        List<Integer> matched = rows.stream().filter(row -> row.get("matched").asBoolean()).map(row -> row.get("n_nationkey").asInt())
                .toList();
        assertThat(matched).isEqualTo(ints("SELECT n_nationkey FROM nation WHERE n_name = ? OR strpos(n_comment, ?) > 0 ORDER BY 1",
                payload, payload));
        sameSqlAsForAHarmlessValue(ECHO, Map.of("text", payload, "_limit", "100"), "text");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    @Order(1)
    void inAListParameter(String payload) throws Exception {
        Response answer = get(ECHO, Map.of("texts", payload));
        if (payload.indexOf('\u0000') >= 0) {
            refused(answer, "texts");
            return;
        }
        assertThat(ids(answer)).isEqualTo(ints("SELECT n_nationkey FROM nation WHERE n_name = ANY(?) ORDER BY 1",
                (Object) payload.split(",", -1)));
        sameSqlAsForAHarmlessValue(ECHO, Map.of("texts", payload), "texts");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    @Order(1)
    void inAnIntegerParameter(String payload) {
        refused(get(PAGING, Map.of("seed", payload)), "seed");
    }

    // filters

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    @Order(1)
    void inATextFilter(String payload) throws Exception {
        Map<String, String> lookups = new LinkedHashMap<>();
        lookups.put("n_name", "n_name = ?");
        lookups.put("n_name__ne", "n_name IS DISTINCT FROM ?");
        lookups.put("n_name__gte", "n_name >= ?");
        lookups.put("n_name__contains", "strpos(n_name, ?) > 0");
        lookups.put("n_name__icontains", "strpos(lower(n_name), lower(?)) > 0");
        lookups.put("n_name__startswith", "starts_with(n_name, ?)");
        for (Map.Entry<String, String> lookup : lookups.entrySet()) {
            Response answer = get(ECHO, Map.of(lookup.getKey(), payload));
            if (payload.indexOf('\u0000') >= 0) {
                refused(answer, lookup.getKey());
                continue;
            }
            assertThat(ids(answer)).as(lookup.getKey())
                    .isEqualTo(ints("SELECT n_nationkey FROM nation WHERE " + lookup.getValue() + " ORDER BY 1", payload));
            sameSqlAsForAHarmlessValue(ECHO, Map.of(lookup.getKey(), payload), lookup.getKey());
        }
        Response in = get(ECHO, Map.of("n_name__in", payload));
        if (payload.indexOf('\u0000') >= 0) {
            refused(in, "n_name__in");
            return;
        }
        assertThat(ids(in)).isEqualTo(ints("SELECT n_nationkey FROM nation WHERE n_name = ANY(?) ORDER BY 1",
                (Object) payload.split(",", -1)));
        sameSqlAsForAHarmlessValue(ECHO, Map.of("n_name__in", payload), "n_name__in");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    @Order(1)
    void inAFilterOnTheEchoedParameter(String payload) throws Exception {
        Map<String, String> query = Map.of("text", payload, "echoed", payload);
        Response answer = get(ECHO, query);
        if (payload.indexOf('\u0000') >= 0) {
            refused(answer, "text");
            return;
        }
        assertThat(ids(answer)).isEqualTo(nations);
        sameSqlAsForAHarmlessValue(ECHO, query, "text", "echoed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    @Order(1)
    void inFiltersOnIntegerAndBooleanColumns(String payload) {
        for (String filter : List.of("characters", "characters__gt", "n_nationkey__in", "matched", "n_nationkey__range")) {
            refused(get(ECHO, Map.of(filter, payload)), filter);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    @Order(1)
    void inAFilterName(String payload) {
        for (String name : List.of("n_name" + payload, "n_name__" + payload, payload + "__contains")) {
            if (!name.equals("n_name")) { // the empty payload leaves the column's own name
                refused(get(ECHO, Map.of(name, "x")), name);
            }
        }
    }

    // Quarry's own parameters

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    @Order(1)
    void inASortKey(String payload) throws Exception {
        for (String sort : List.of(payload, "-" + payload, "n_name," + payload)) {
            Response answer = get(ECHO, Map.of("_sort", sort));
            if (commaSeparatedBlank(sort)) {
                assertThat(ids(answer)).as("a sort of blank items is no sort").isEqualTo(nations);
                RENDERED.add(explainedSql(ECHO, Map.of("_sort", sort)));
            } else if (sort.startsWith("n_name,") && commaSeparatedBlank(payload)) {
                assertThat(ids(answer)).isEqualTo(ints("SELECT n_nationkey FROM nation ORDER BY n_name, n_nationkey"));
                RENDERED.add(explainedSql(ECHO, Map.of("_sort", sort)));
            } else {
                refused(answer, "_sort");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    @Order(1)
    void inAGroupOrAMeasure(String payload) throws Exception {
        Response grouped = get(CUBE, Map.of("_group", payload));
        if (commaSeparatedBlank(payload)) {
            // no dimension: the one row of totals, as without _group
            List<JsonNode> rows = rows(grouped);
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("nations").asLong()).isEqualTo(nations.size());
            RENDERED.add(explainedSql(CUBE, Map.of("_group", payload)));
        } else {
            refused(grouped, "_group");
        }
        refused(get(CUBE, Map.of("_group", "region", "_measures", payload)), "_measures");
        Response regions = get(CUBE, Map.of("_group", "region," + payload));
        if (commaSeparatedBlank(payload)) {
            assertThat(rows(regions)).extracting(row -> row.get("region").asText())
                    .containsExactlyInAnyOrder("AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST");
            RENDERED.add(explainedSql(CUBE, Map.of("_group", "region," + payload)));
        } else {
            refused(regions, "_group");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    @Order(1)
    void asACursor(String payload) {
        refused(get(ECHO, Map.of("_after", payload)), "_after");
        // what an HTTP header may carry; a blank Last-Event-ID is no cursor, and HTTP trims the others
        if (!payload.isBlank() && payload.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            refused(given().accept("text/event-stream").header("Last-Event-ID", payload).when().get(ECHO), "_after");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    @Order(1)
    void insideACursor(String payload) throws Exception {
        Map<String, String> query = Map.of("text", payload, "_sort", "-echoed", "_limit", "10");
        Response first = get(ECHO, query);
        if (payload.indexOf('\u0000') >= 0) {
            refused(first, "text");
            return;
        }
        String next = JSON.readTree(first.then().statusCode(200).extract().asString()).path("page").path("next").asText();
        String[] token = next.split("\\.");
        ArrayNode values = (ArrayNode) JSON.readTree(Base64.getUrlDecoder().decode(token[0]));
        assertThat(values.get(0).asText()).as("the cursor holds the payload").isEqualTo(payload);
        sameSqlAsForAHarmlessValue(ECHO, query, "text");

        Map<String, String> following = new LinkedHashMap<>(query);
        following.put("_after", next);
        assertThat(ids(get(ECHO, following))).isEqualTo(nations.subList(10, 20));
        sameSqlAsForAHarmlessValue(ECHO, following, "text");

        values.set(0, payload + "x"); // the same cursor with another value, signed no longer
        following.put("_after", Base64.getUrlEncoder().withoutPadding().encodeToString(values.toString().getBytes(StandardCharsets.UTF_8))
                + "." + token[1]);
        refused(get(ECHO, following), "_after");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    @Order(1)
    void inPagingCountingAndExplaining(String payload) {
        for (String parameter : List.of("_limit", "_offset", "_count", "_explain")) {
            refused(get(ECHO, Map.of(parameter, payload)), parameter);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    @Order(1)
    void inTheQueryName(String payload) throws Exception {
        Response answer = given().urlEncodingEnabled(true).when().get("/queries/test/{name}", payload);
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(404);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(JSON.readTree(answer.asString()).path("title").asText()).isEqualTo("Unknown query");
    }

    // what the database saw

    @Test
    @Order(2)
    void theDatabaseHoldsTheSameTablesAndRows() throws Exception {
        assertThat(tables()).isEqualTo(tablesBefore);
    }

    @Test
    @Order(2)
    void quarrySentOnlyItsTemplatesStatementsWithThePayloadsBound() throws Exception {
        List<StatementLog.Entry> entries = log.entries();
        List<StatementLog.Entry> quarry = entries.stream().filter(entry -> entry.application().equals("quarry")).toList();
        assertThat(quarry).as("statements Quarry sent while the payloads were tried").hasSizeGreaterThan(RENDERED.size());
        Pattern logged = Pattern.compile("(?s)(?:statement|execute(?: fetch from)? [^:]+): (.*)");
        Set<String> statements = new LinkedHashSet<>();
        for (StatementLog.Entry entry : quarry) {
            Matcher matcher = logged.matcher(entry.message());
            assertThat(matcher.matches()).as("a logged statement: %s", entry.message()).isTrue();
            statements.add(matcher.group(1));
        }
        Set<String> allowed = new LinkedHashSet<>(RENDERED);
        RENDERED.forEach(sql -> allowed.add("EXPLAIN (FORMAT JSON) " + sql));
        for (String statement : statements) {
            if (statement.startsWith("BEGIN ") || statement.equals("COMMIT") || statement.equals("ROLLBACK")) {
                assertThat(statement)
                        .matches("COMMIT|ROLLBACK|BEGIN (ISOLATION LEVEL REPEATABLE READ )?READ ONLY; SET LOCAL statement_timeout = \\d+");
            } else {
                assertThat(allowed).as("a statement Quarry sent").contains(statement);
            }
        }
        String sent = String.join("\n", statements);
        List<String> distinctive = payloads().map(Named::getPayload).filter(payload -> payload.length() >= 4)
                .filter(payload -> allowed.stream().noneMatch(sql -> sql.contains(payload))).toList();
        assertThat(distinctive).hasSizeGreaterThan(20);
        for (String payload : distinctive) {
            assertThat(sent).as("statement text").doesNotContain(payload);
        }
        // and the payloads did reach PostgreSQL, as bound values (the log is not empty for want of them)
        String bound = String.join("\n", quarry.stream().map(StatementLog.Entry::detail).toList());
        assertThat(bound).contains("'; DROP TABLE nation; --", "1::int; SELECT pg_sleep(5)", "\u2019 OR \u20191\u2019=\u20191");
    }

    // helpers

    private static Response get(String path, Map<String, String> query) {
        RequestSpecification request = given();
        query.forEach(request::queryParam);
        return request.when().get(path);
    }

    private static void refused(Response answer, String parameter) {
        assertThat(answer.statusCode()).as("%s: %s", parameter, answer.asString()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonNode problem;
        try {
            problem = JSON.readTree(answer.asString());
        } catch (Exception e) {
            throw new AssertionError("not a problem document: " + answer.asString(), e);
        }
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("parameter").asText()).isEqualTo(parameter);
        assertThat(problem.path("detail").asText()).startsWith("parameter '" + parameter + "' ");
    }

    private static List<JsonNode> rows(Response answer) throws Exception {
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        JSON.readTree(answer.asString()).get("rows").forEach(rows::add);
        return rows;
    }

    private static List<Integer> ids(Response answer) throws Exception {
        return rows(answer).stream().map(row -> row.get("n_nationkey").asInt()).toList();
    }

    /**
     * The SQL Quarry renders for this request is the one it renders with the harmless value in the
     * payload's parameters: the payload is a bound value and never SQL text. That SQL is all Quarry may send.
     */
    private static void sameSqlAsForAHarmlessValue(String path, Map<String, String> query, String... payloadParameters) throws Exception {
        Map<String, String> harmless = new LinkedHashMap<>(query);
        for (String parameter : payloadParameters) {
            harmless.put(parameter, HARMLESS);
        }
        String sql = explainedSql(path, query);
        assertThat(sql).isEqualTo(HARMLESS_SQL.computeIfAbsent(new Request(path, harmless), key -> explainedSql(key.path(), key.query())));
        RENDERED.add(sql);
    }

    private static String explainedSql(String path, Map<String, String> query) {
        Map<String, String> explained = new LinkedHashMap<>(query);
        explained.put("_explain", "true");
        Response answer = get(path, explained);
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        return answer.jsonPath().getString("sql");
    }

    private record Request(String path, Map<String, String> query) {
    }

    private static boolean commaSeparatedBlank(String text) {
        return Stream.of(text.split(",")).allMatch(String::isBlank);
    }

    private static List<Integer> ints(String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = database.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] instanceof String[] array) {
                    Array bound = database.createArrayOf("text", array);
                    statement.setArray(i + 1, bound);
                } else {
                    statement.setString(i + 1, (String) values[i]);
                }
            }
            List<Integer> ints = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ints.add(rs.getInt(1));
                }
            }
            return ints;
        }
    }

    /** Every table outside PostgreSQL's own schemas, with its row count. */
    private static Map<String, Long> tables() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement statement = database.createStatement(); ResultSet rs = statement.executeQuery(
                "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        for (String name : names) {
            try (Statement statement = database.createStatement(); ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + name)) {
                rs.next();
                counts.put(name, rs.getLong(1));
            }
        }
        return counts;
    }
}
