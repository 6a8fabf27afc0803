package dev.quarry.serve;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.cache.Answer;
import dev.quarry.cache.Served;
import dev.quarry.cache.Source;

/** {@code _explain=budget}: the budget decision of a page, answered instead of running it. */
final class BudgetExplanation {

    private static final String PARAMETER = "_explain";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BudgetExplanation() {
    }

    static boolean asked(Map<String, List<String>> parameters) {
        return List.of("budget").equals(parameters.get(PARAMETER));
    }

    /** The request without {@code _explain=budget}, read as the page it explains. */
    static Map<String, List<String>> without(Map<String, List<String>> parameters) {
        Map<String, List<String>> rest = new LinkedHashMap<>(parameters);
        rest.remove(PARAMETER);
        return rest;
    }

    /** The decision as a JSON document: a plan is not an execution, so it is neither metered nor kept. */
    static Served served(BudgetDecision decision) {
        try {
            return new Served(Answer.of(List.of(JSON.writeValueAsBytes(decision.members())), 0), Source.MISS, Duration.ZERO);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
