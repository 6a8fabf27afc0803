package dev.quarry.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.execute.Cancellation;
import dev.quarry.render.RequestException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The page logic on its own, without HTTP: the extra row that tells more follow, the signed cursor
 * after the last row kept, the total from the same snapshot, and what a page is metered as. Over
 * test/paging, whose rows are generated from its arguments (ids 1..rows).
 */
@QuarkusTest
class PagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Caller ANYONE = new Caller("address 127.0.0.1", Set.of(), Optional.empty());

    @Inject
    Pages pages;

    @Inject
    MeterRegistry registry;

    @Test
    void aPageReadsOneRowMoreThanItKeepsAndSignsTheCursorAfterItsLastRow() throws Exception {
        JsonNode first = page(Map.of("rows", "7", "_limit", "3", "_sort", "id"));
        assertThat(ids(first)).containsExactly(1, 2, 3);
        assertThat(first.at("/page/limit").asInt()).isEqualTo(3);
        String next = first.at("/page/next").asText();
        assertThat(next).isNotBlank();

        JsonNode second = page(Map.of("rows", "7", "_limit", "3", "_sort", "id", "_after", next));
        assertThat(ids(second)).containsExactly(4, 5, 6);
        JsonNode last = page(Map.of("rows", "7", "_limit", "3", "_sort", "id", "_after", second.at("/page/next").asText()));
        assertThat(ids(last)).containsExactly(7);
        // the extra row was not there: nothing follows
        assertThat(last.at("/page/next").isNull() || last.at("/page/next").isMissingNode()).isTrue();
    }

    @Test
    void aPageOfExactlyTheLimitHasNoNextCursor() throws Exception {
        JsonNode page = page(Map.of("rows", "3", "_limit", "3"));
        assertThat(ids(page)).containsExactly(1, 2, 3);
        assertThat(page.at("/page/next").isNull() || page.at("/page/next").isMissingNode()).isTrue();
    }

    @Test
    void theTotalCountsEveryRowOfTheFilteredQueryNotOnlyThePage() throws Exception {
        JsonNode page = page(Map.of("rows", "50", "_limit", "5", "_count", "exact", "id__gt", "20"));
        assertThat(ids(page)).containsExactly(21, 22, 23, 24, 25);
        assertThat(page.at("/page/total").asLong()).isEqualTo(30);
    }

    @Test
    void theDefaultPageSizeApplies() throws Exception {
        JsonNode page = page(Map.of("rows", "250"));
        assertThat(page.at("/rows").size()).isEqualTo(Pages.DEFAULT_PAGE_SIZE);
        assertThat(page.at("/page/limit").asInt()).isEqualTo(Pages.DEFAULT_PAGE_SIZE);
    }

    @Test
    void aBadParameterFailsBeforeAnythingRunsAndIsMeteredAsTheClientsError() {
        double before = count("client_error");
        assertThatThrownBy(
                () -> pages.page("test/paging", params(Map.of("rows", "many")), ANYONE, source -> {}, new Cancellation()))
                .isInstanceOf(RequestException.class)
                .satisfies(e -> assertThat(((RequestException) e).parameter()).isEqualTo("rows"));
        assertThat(count("client_error")).isEqualTo(before + 1);
    }

    @Test
    void anUnknownTemplateIsRefusedByName() {
        assertThatThrownBy(() -> pages.page("test/no-such-template", Map.of(), ANYONE, source -> {}, new Cancellation()))
                .isInstanceOf(UnknownQueryException.class)
                .hasMessageContaining("'test/no-such-template'");
    }

    @Test
    void aPageIsMeteredWithItsRowsAndOutcome() throws Exception {
        double pagesBefore = count("ok");
        double rowsBefore = rows();
        page(Map.of("rows", "4"));
        assertThat(count("ok")).isEqualTo(pagesBefore + 1);
        assertThat(rows()).isEqualTo(rowsBefore + 4);
    }

    private JsonNode page(Map<String, String> parameters) throws Exception {
        byte[] document = pages.page("test/paging", params(parameters), ANYONE, source -> {}, new Cancellation())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS)
                .answer().body();
        return JSON.readTree(document);
    }

    private static Map<String, List<String>> params(Map<String, String> single) {
        Map<String, List<String>> parameters = new HashMap<>();
        single.forEach((name, value) -> parameters.put(name, List.of(value)));
        return parameters;
    }

    private static List<Integer> ids(JsonNode page) {
        List<Integer> ids = new ArrayList<>();
        page.at("/rows").forEach(row -> ids.add(row.get("id").asInt()));
        return ids;
    }

    private double count(String outcome) {
        var timer = registry.find("quarry.query").tags("template", "test/paging", "format", "json", "outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private double rows() {
        var counter = registry.find("quarry.query.rows").tags("template", "test/paging", "format", "json").counter();
        return counter == null ? 0 : counter.count();
    }
}
