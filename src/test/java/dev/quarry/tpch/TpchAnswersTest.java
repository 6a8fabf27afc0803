package dev.quarry.tpch;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.quarry.tpch.AnswerComparator.Answer;
import dev.quarry.util.ClasspathText;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Runs the 22 TPC-H templates with their default (validation) parameters on scale factor 1 and
 * compares every value with the official answers, by the rules of {@link AnswerComparator}.
 */
@QuarkusTest
@TestProfile(TpchAnswersTest.TpchScaleOneProfile.class)
class TpchAnswersTest {

    /** A second database on the same embedded server, with scale factor 1: loaded once, kept in target/. */
    public static class TpchScaleOneProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarry.embedded.database", "tpch_sf1",
                    "quarry.dataset.load-on-start", "1");
        }
    }

    /** The largest page the API serves; a longer answer is read from the NDJSON stream. */
    private static final int MAX_PAGE = 10_000;
    private static final String NDJSON = "application/x-ndjson";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    /**
     * Positions (in the output) of the columns each query orders by: answer rows equal in them are
     * ties, which the specification lets come in any order.
     */
    private static final Map<String, int[]> ORDER_BY = Map.ofEntries(
            Map.entry("q01", new int[] { 0, 1 }),
            Map.entry("q02", new int[] { 0, 2, 1, 3 }),
            Map.entry("q03", new int[] { 1, 2 }),
            Map.entry("q04", new int[] { 0 }),
            Map.entry("q05", new int[] { 1 }),
            Map.entry("q06", new int[] {}),
            Map.entry("q07", new int[] { 0, 1, 2 }),
            Map.entry("q08", new int[] { 0 }),
            Map.entry("q09", new int[] { 0, 1 }),
            Map.entry("q10", new int[] { 2 }),
            Map.entry("q11", new int[] { 1 }),
            Map.entry("q12", new int[] { 0 }),
            Map.entry("q13", new int[] { 1, 0 }),
            Map.entry("q14", new int[] {}),
            Map.entry("q15", new int[] { 0 }),
            Map.entry("q16", new int[] { 3, 0, 1, 2 }),
            Map.entry("q17", new int[] {}),
            Map.entry("q18", new int[] { 4, 3 }),
            Map.entry("q19", new int[] {}),
            Map.entry("q20", new int[] { 0 }),
            Map.entry("q21", new int[] { 1, 0 }),
            Map.entry("q22", new int[] { 0 }));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "q01", "q02", "q03", "q04", "q05", "q06", "q07", "q08", "q09", "q10", "q11",
            "q12", "q13", "q14", "q15", "q16", "q17", "q18", "q19", "q20", "q21", "q22" })
    void matchesTheOfficialAnswer(String query) {
        Answer answer = Answer.parse(ClasspathText.read("tpch-answers-sf1/" + query + ".out"));
        long started = System.nanoTime();
        Result result = answer.rows().size() <= MAX_PAGE ? page(query) : stream(query);
        System.out.printf("TPC-H SF1 %s: %d rows in %d ms%n", query, result.rows().size(), (System.nanoTime() - started) / 1_000_000);
        AnswerComparator.assertMatches(query, answer, result.columns(), result.rows(), ORDER_BY.get(query));
    }

    private record Result(List<String> columns, List<List<Object>> rows) {
    }

    /** All rows in one JSON page. */
    @SuppressWarnings("unchecked")
    private static Result page(String query) {
        byte[] body = given().accept("application/json").queryParam("_limit", MAX_PAGE)
                .when().get("/queries/tpch/" + query)
                .then().statusCode(200)
                .extract().asByteArray();
        Map<String, Object> page = read(body);
        assertEquals("tpch/" + query, page.get("query"));
        List<String> columns = ((List<Map<String, Object>>) page.get("columns")).stream()
                .map(column -> (String) column.get("name")).toList();
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : (List<Map<String, Object>>) page.get("rows")) {
            rows.add(values(query, rows.size() + 1, columns, row));
        }
        return new Result(columns, rows);
    }

    /** All rows from the NDJSON stream, one object a line, its columns in the order of the first. */
    private static Result stream(String query) {
        String body = given().accept(NDJSON)
                .when().get("/queries/tpch/" + query)
                .then().statusCode(200)
                .extract().asString();
        List<String> columns = null;
        List<List<Object>> rows = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> row = read(line.getBytes(StandardCharsets.UTF_8));
            assertFalse(row.containsKey("error"), query + ": the stream failed after " + rows.size() + " rows: " + line);
            if (columns == null) {
                columns = List.copyOf(row.keySet());
            }
            rows.add(values(query, rows.size() + 1, columns, row));
        }
        assertNotNull(columns, query + ": the stream has no rows");
        return new Result(columns, rows);
    }

    private static List<Object> values(String query, int rowNumber, List<String> columns, Map<String, Object> row) {
        assertEquals(columns, List.copyOf(row.keySet()), query + " row " + rowNumber + ": the columns");
        return new ArrayList<>(row.values());
    }

    private static Map<String, Object> read(byte[] json) {
        try {
            return JSON.readValue(json, OBJECT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
