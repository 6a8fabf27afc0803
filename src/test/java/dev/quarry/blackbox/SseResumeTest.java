package dev.quarry.blackbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.quarry.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An EventSource that reconnects sends the id of the last event it saw as {@code Last-Event-ID}; on
 * a keyed stream that id is the row's cursor, so the stream goes on after that row, with the same
 * filters and ordering, and the rows before and after add up to the whole result exactly once.
 */
@QuarkusTest
class SseResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    /** Ties in a and b, nulls in a sorted first (descending), and a filter. */
    private static final String FILTERED = "/queries/test/paging?seed=9&rows=300&distinct=4&nulls=25&_sort=-a,b&b__isnull=false";
    private static final String CUBE = "/queries/analysis/revenue-cube?_group=region,year";

    @TestHTTPResource("/")
    URL base;

    @Test
    void aFilteredSortedStreamResumesAfterAnyRow() throws Exception {
        List<SseClient.Event> all = rowEvents(FILTERED, null);
        List<JsonNode> rows = data(all);
        // the stream is the filtered rows in the requested order: the JSON page's, and Java's
        assertThat(rows).isEqualTo(pageRows(FILTERED));
        List<KeysetPagingTest.Row> javaOrder = new ArrayList<>();
        pageRows("/queries/test/paging?seed=9&rows=300&distinct=4&nulls=25").forEach(row -> {
            if (!row.get("b").isNull()) {
                javaOrder.add(new KeysetPagingTest.Row(row.get("id").asInt(), row.get("a").isNull() ? null : row.get("a").asInt(),
                        row.get("b").asText()));
            }
        });
        javaOrder.sort(KeysetPagingTest.ordering("-a,b"));
        assertThat(rows.stream().map(row -> row.get("id").asInt()).toList())
                .isEqualTo(javaOrder.stream().map(KeysetPagingTest.Row::id).toList());
        assertThat(rows).anyMatch(row -> row.get("a").isNull()).allMatch(row -> !row.get("b").isNull());

        for (int seen : positionsWorthResumingAfter(rows)) {
            List<SseClient.Event> rest = rowEvents(FILTERED, all.get(seen).id());
            assertThat(data(rest)).as("after row %d", seen).isEqualTo(rows.subList(seen + 1, rows.size()));
            assertThat(rest).extracting(SseClient.Event::id).as("after row %d", seen)
                    .isEqualTo(all.subList(seen + 1, all.size()).stream().map(SseClient.Event::id).toList());
        }
    }

    @Test
    void aClientThatKeepsReconnectingGetsEveryRowOnce() throws Exception {
        List<JsonNode> expected = data(rowEvents(FILTERED, null));
        List<JsonNode> received = new ArrayList<>();
        String lastEventId = null;
        for (int connection = 0; connection < 100 && received.size() < expected.size(); connection++) {
            // hang up after a few rows, as a flaky network would
            try (SseClient client = new SseClient(base, FILTERED, lastEventId)) {
                assertThat(client.status).isEqualTo(200);
                assertThat(client.next().name()).isEqualTo("meta");
                for (int i = 0; i < 17; i++) {
                    SseClient.Event event = client.next();
                    if (event == null || !event.name().equals("row")) {
                        break;
                    }
                    received.add(JSON.readTree(event.data()));
                    lastEventId = event.id();
                }
            }
        }
        assertThat(received).isEqualTo(expected);
        // resuming after the very last row: an empty stream that still ends properly
        try (SseClient client = new SseClient(base, FILTERED, lastEventId)) {
            List<SseClient.Event> events = client.rest();
            assertThat(events).extracting(SseClient.Event::name).containsExactly("meta", "end");
            assertThat(JSON.readTree(events.get(1).data()).get("rows").asInt()).isZero();
        }
    }

    @Test
    void anIdFromAnotherOrderingIsA400() throws Exception {
        String id = rowEvents(FILTERED, null).get(10).id();
        given().accept("text/event-stream").header("Last-Event-ID", id)
                .when().get(FILTERED.replace("_sort=-a,b", "_sort=a,b"))
                .then().statusCode(400).contentType("application/problem+json")
                .body("parameter", equalTo("_after"))
                .body("detail", equalTo("parameter '_after' is not a cursor this service issued for this query and ordering"));
    }

    @Test
    void aGroupedStreamIsKeyedByItsGroupAndResumes() throws Exception {
        List<SseClient.Event> all = rowEvents(CUBE, null);
        List<JsonNode> rows = data(all);
        assertThat(rows).isEqualTo(pageRows(CUBE));
        // every region and year once, in the order of the group: region, then year
        assertThat(rows).hasSize(35);
        List<String> keys = rows.stream().map(row -> row.get("region").asText() + "/" + row.get("year").asInt()).toList();
        assertThat(keys).doesNotHaveDuplicates().isSorted();
        assertThat(all).extracting(SseClient.Event::id).allMatch(id -> id.contains("."));
        for (int seen : List.of(0, 6, 7, 20, 33, 34)) {
            assertThat(data(rowEvents(CUBE, all.get(seen).id()))).as("after row %d", seen)
                    .isEqualTo(rows.subList(seen + 1, rows.size()));
        }
        // the JSON pages of the same request, through page.next, are the same rows
        assertThat(pages(CUBE, 4)).isEqualTo(rows);
    }

    @Test
    void aGroupedFilteredStreamSortedByAMeasureResumes() throws Exception {
        String query = CUBE + "&_measures=revenue,orders&year__gte=1995&region__ne=ASIA&_sort=-revenue";
        List<SseClient.Event> all = rowEvents(query, null);
        List<JsonNode> rows = data(all);
        assertThat(rows).isEqualTo(pageRows(query));
        assertThat(rows).hasSize(16).allMatch(row -> row.get("year").asInt() >= 1995 && !row.get("region").asText().equals("ASIA"));
        assertThat(rows.get(0).fieldNames()).toIterable().containsExactly("region", "year", "revenue", "orders");
        assertThat(rows.stream().map(row -> row.get("revenue").decimalValue()).toList())
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        for (int seen : List.of(0, 5, 14, 15)) {
            assertThat(data(rowEvents(query, all.get(seen).id()))).as("after row %d", seen)
                    .isEqualTo(rows.subList(seen + 1, rows.size()));
        }
        assertThat(pages(query, 3)).isEqualTo(rows);
    }

    /**
     * Where a cursor is tested hardest: the first and last rows, the last row whose a is null (the next has a value),
     * and rows spread over the result that tie with the next row in every sort column, among them nulls.
     */
    private static List<Integer> positionsWorthResumingAfter(List<JsonNode> rows) {
        List<Integer> ties = IntStream.range(0, rows.size() - 1)
                .filter(i -> rows.get(i).get("a").equals(rows.get(i + 1).get("a")) && rows.get(i).get("b").equals(rows.get(i + 1).get("b")))
                .boxed().toList();
        assertThat(ties).anyMatch(i -> rows.get(i).get("a").isNull()).anyMatch(i -> !rows.get(i).get("a").isNull());
        List<Integer> positions = new ArrayList<>(List.of(0, rows.size() - 1));
        positions.add((int) rows.stream().filter(row -> row.get("a").isNull()).count() - 1);
        for (int k = 0; k < 6; k++) {
            positions.add(ties.get(k * ties.size() / 6));
        }
        return positions;
    }

    private List<SseClient.Event> rowEvents(String query, String lastEventId) throws IOException {
        try (SseClient client = new SseClient(base, query, lastEventId)) {
            assertThat(client.status).isEqualTo(200);
            List<SseClient.Event> events = client.rest();
            assertThat(events.get(0).name()).isEqualTo("meta");
            SseClient.Event end = events.get(events.size() - 1);
            assertThat(end.name()).isEqualTo("end");
            List<SseClient.Event> rows = events.stream().filter(event -> event.name().equals("row")).toList();
            assertThat(JSON.readTree(end.data()).get("rows").asInt()).isEqualTo(rows.size());
            return rows;
        }
    }

    private static List<JsonNode> data(List<SseClient.Event> events) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (SseClient.Event event : events) {
            rows.add(JSON.readTree(event.data()));
        }
        return rows;
    }

    private static List<JsonNode> pageRows(String query) throws IOException {
        JsonNode page = JSON.readTree(given().urlEncodingEnabled(false).when().get(query + "&_limit=10000")
                .then().statusCode(200).extract().asString());
        assertThat(page.get("page").get("next").isNull()).isTrue();
        List<JsonNode> rows = new ArrayList<>();
        page.get("rows").forEach(rows::add);
        return rows;
    }

    private static List<JsonNode> pages(String query, int limit) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        String next = null;
        for (int pages = 0; pages < 100; pages++) {
            JsonNode page = JSON.readTree(given().urlEncodingEnabled(false)
                    .when().get(query + "&_limit=" + limit + (next == null ? "" : "&_after=" + next))
                    .then().statusCode(200).extract().asString());
            page.get("rows").forEach(rows::add);
            if (page.get("page").get("next").isNull()) {
                return rows;
            }
            next = page.get("page").get("next").asText();
        }
        throw new AssertionError("paging " + query + " did not end");
    }
}
