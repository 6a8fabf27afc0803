package dev.quarry.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.quarry.encode.MediaTypes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * {@code Accept: application/vnd.apache.arrow.stream}, read by Apache Arrow's JavaScript reader
 * ({@link NodeArrowReader}), not by the library that wrote it: every value of every shipped
 * template, and of test templates with a column of each type in the type table, is the value of
 * the JSON answer (NDJSON), decimals compared as exact decimal strings; each field's type follows
 * the column's PostgreSQL type; a failure after the first batch is a stream the reader refuses.
 */
@QuarkusTest
class ArrowRepresentationTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    @BeforeAll
    static void installReader() throws Exception {
        NodeArrowReader.install();
    }

    @Test
    void everyValueOfEveryShippedTemplateIsTheJsonAnswersValue() throws Exception {
        Set<String> arrowTypes = new HashSet<>();
        for (Map.Entry<String, String> template : CsvRepresentationTest.shippedTemplates().entrySet()) {
            JsonNode read = readArrow(template.getKey(), template.getValue());
            assertThat(read.get("metadata").get("quarry.template").asText()).isEqualTo(template.getKey());
            read.get("fields").forEach(field -> arrowTypes.add(field.get("type").asText()));
            assertSameValues(template.getKey(), read, ndjson(template.getKey(), template.getValue()));
        }
        // lineitem's numeric(15,2) columns are decimals; sums and averages, whose scale PostgreSQL does not know, exact text
        assertThat(arrowTypes).contains("Decimal[15e+2]", "Utf8", "Int64", "Int32", "Date32<DAY>");
    }

    @ParameterizedTest
    @ValueSource(strings = { "test/typed-values", "test/float-values", "test/fixed-width", "test/echo" })
    void everyTypeOfTheTypeTableReadsBackAsTheJsonAnswer(String name) throws Exception {
        JsonNode read = readArrow(name, "");
        assertSameValues(name, read, ndjson(name, ""));
    }

    @Test
    void columnsCarryTheirPostgresqlTypesAndTheStreamTheTemplatesDescription() throws Exception {
        JsonNode read = readArrow("test/typed-values", "");
        List<String> types = new ArrayList<>();
        read.get("fields").forEach(field -> types.add(field.get("name").asText() + " " + field.get("type").asText() + " "
                + field.get("metadata").get("postgresql.type").asText()));
        assertThat(types).containsExactly("id Int32 integer", "n Int32 integer", "big Int64 bigint", "amount Utf8 numeric",
                "ratio Float64 double precision", "d Date32<DAY> date", "ts Timestamp<MICROSECOND> timestamp without time zone",
                "flag Bool boolean", "label Utf8 text");
        assertThat(read.get("fields").get(3).get("metadata").get("quarry.encoding").asText()).isEqualTo("decimal-text");
        assertThat(read.get("metadata").get("quarry.summary").asText()).startsWith("Twelve rows with a column of each type");
        assertThat(read.get("metadata").get("quarry.description").asText()).contains("COLLATE \"C\"");
    }

    @Test
    void rowsAreWrittenAsARecordBatchPerBatchTheCursorRead() throws Exception {
        // the default fetch size is 500: two full batches and one of 200
        JsonNode read = readArrow("test/many-rows", "&rows=1200");
        assertThat(read.get("batches").asInt()).isEqualTo(3);
        assertThat(read.get("rows")).hasSize(1200);
        assertThat(read.get("rows").get(1199).toString()).isEqualTo("[\"1200\",\"row 1200\",\"1500.00\"]");
        // a page of a stream: _limit and _after as for the other streams
        JsonNode page = readArrow("test/many-rows", "&rows=1200&_limit=10&_offset=20");
        assertThat(page.get("batches").asInt()).isEqualTo(1);
        assertThat(page.get("rows")).hasSize(10);
        assertThat(page.get("rows").get(0).get(0).asText()).isEqualTo("21");
        JsonNode empty = readArrow("test/many-rows", "&rows=0");
        assertThat(empty.get("rows")).isEmpty();
        assertThat(empty.get("fields")).hasSize(3);
    }

    @Test
    void aFailureAfterTheFirstBatchIsAStreamTheReaderRefuses() throws Exception {
        byte[] stream = given().accept(MediaTypes.ARROW).get("/queries/test/fails-midway").then().statusCode(200).extract().asByteArray();
        NodeArrowReader.Result read = NodeArrowReader.read(stream);
        assertThat(read.status()).as(read.json()).isNotZero();
        String tail = new String(stream, stream.length - 400, 400, StandardCharsets.UTF_8);
        assertThat(tail).contains("\"status\":500", "division by zero");
        // the same stream without the failure reads to its end
        assertThat(readArrow("test/fails-midway", "&fail_at=5000").get("rows")).hasSize(1200);
    }

    @Test
    void anAcceptQuarryCannotServeIsA406ListingWhatItCan() {
        given().accept("application/xml").get("/queries/tpch/q01").then().statusCode(406)
                .contentType(Problem.MEDIA_TYPE)
                .body("title", equalTo("Not acceptable"))
                .body("allowed", contains("application/json", "text/event-stream", "application/x-ndjson",
                        "text/csv", "text/csv;profile=spreadsheet", MediaTypes.ARROW));
    }

    private static JsonNode readArrow(String name, String query) throws IOException, InterruptedException {
        Response response = given().urlEncodingEnabled(false).accept(MediaTypes.ARROW).get(path(name, query));
        assertThat(response.statusCode()).as(name + ": " + response.asString()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo(MediaTypes.ARROW);
        NodeArrowReader.Result read = NodeArrowReader.read(response.asByteArray());
        assertThat(read.status()).as(name + ": " + read.errors()).isZero();
        return JSON.readTree(read.json());
    }

    private static String path(String name, String query) {
        return "/queries/" + name + (query.isEmpty() ? "" : "?" + query.substring(1));
    }

    private static List<JsonNode> ndjson(String name, String query) throws IOException {
        String body = given().urlEncodingEnabled(false).accept("application/x-ndjson").get(path(name, query))
                .then().statusCode(200).extract().asString();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : body.lines().toList()) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    /** Each value the reader read against the JSON answer's, by the Arrow type of its field. */
    private static void assertSameValues(String name, JsonNode read, List<JsonNode> json) {
        JsonNode fields = read.get("fields");
        JsonNode rows = read.get("rows");
        assertThat(rows).as(name).hasSize(json.size());
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < fields.size(); c++) {
                JsonNode field = fields.get(c);
                JsonNode expected = json.get(r).get(field.get("name").asText());
                JsonNode actual = rows.get(r).get(c);
                String where = name + " row " + r + " " + field;
                if (expected.isNull()) {
                    assertThat(actual.isNull()).as(where).isTrue();
                    continue;
                }
                String type = field.get("type").asText();
                if (type.startsWith("Decimal") || field.get("metadata").has("quarry.encoding")) {
                    String exact = expected.isNumber() ? expected.decimalValue().toPlainString() : expected.asText();
                    assertThat(actual.asText()).as(where).isEqualTo(exact);
                } else if (type.startsWith("Timestamp")) {
                    assertThat(actual.asText()).as(where).isEqualTo(Long.toString(micros(expected.asText())));
                } else if (type.startsWith("Float")) {
                    double value = expected.isNumber() ? expected.doubleValue() : Double.parseDouble(expected.asText());
                    double readValue = actual.isNumber() ? actual.doubleValue() : Double.parseDouble(actual.asText());
                    // a real is read as the float it is, and the JSON answer has its shortest digits
                    assertThat(type.equals("Float32") ? Double.valueOf((float) readValue) : Double.valueOf(readValue)).as(where)
                            .isEqualTo(type.equals("Float32") ? Double.valueOf((float) value) : Double.valueOf(value));
                } else if (type.equals("Bool")) {
                    assertThat(actual.asBoolean()).as(where).isEqualTo(expected.asBoolean());
                } else {
                    // integers as exact strings, dates as yyyy-mm-dd, text as itself
                    assertThat(actual.asText()).as(where).isEqualTo(expected.isNumber() ? expected.bigIntegerValue().toString()
                            : expected.asText());
                }
            }
        }
    }

    /** Microseconds since the epoch of the JSON answer's ISO-8601 timestamp, with or without its offset. */
    private static long micros(String iso) {
        OffsetDateTime timestamp = iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:\\d\\d$") ? OffsetDateTime.parse(iso)
                : LocalDateTime.parse(iso).atOffset(ZoneOffset.UTC);
        return ChronoUnit.MICROS.between(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), timestamp);
    }
}
