package dev.quarry.serve;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.inject.Singleton;

import dev.quarry.execute.CheckedTemplate;
import dev.quarry.render.QueryRequest;
import dev.quarry.render.RequestException;
import dev.quarry.rollup.RollupCandidate;
import dev.quarry.rollup.RollupDecision;
import dev.quarry.rollup.RollupMatcher;
import dev.quarry.rollup.RollupStore;
import dev.quarry.template.RollupDeclaration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.pgclient.PgException;

/**
 * Decides where each request of a template with rollups is answered from, counts the decisions per
 * template ({@code quarry_rollup_answers_total}, {@code source} the rollup's name or {@code template}),
 * and tells the store of a rollup whose table a request found missing.
 */
@Singleton
class RollupChoice {

    /** PostgreSQL's undefined_table. */
    private static final String UNDEFINED_TABLE = "42P01";

    private final RollupStore store;
    private final MeterRegistry registry;
    private final ConcurrentMap<List<String>, Counter> answers = new ConcurrentHashMap<>();

    RollupChoice(RollupStore store, MeterRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** @param parameters the request's query parameters, for {@code _rollup=off} */
    RollupDecision decide(CheckedTemplate checked, QueryRequest request, Map<String, List<String>> parameters) {
        boolean forceTemplate = forceTemplate(parameters);
        List<RollupDeclaration> rollups = checked.template().header().rollups();
        List<RollupCandidate> candidates = new ArrayList<>(rollups.size());
        for (RollupDeclaration rollup : rollups) {
            Optional<Instant> builtAt = store.usable(rollup).map(state -> state.builtAt().toInstant());
            candidates.add(new RollupCandidate(rollup, checked.rollupParts().getOrDefault(rollup.name(), Map.of()), builtAt));
        }
        RollupDecision decision = RollupMatcher.match(checked.template(), request, candidates, forceTemplate);
        if (!rollups.isEmpty()) {
            String source = decision.rollup().map(rollup -> rollup.rollup().name()).orElse("template");
            answers.computeIfAbsent(List.of(checked.name(), source), tags -> Counter.builder("quarry.rollup.answers")
                    .description("Requests of a template with rollups, by where they were answered from: a rollup, or the template")
                    .tags("template", checked.name(), "source", source)
                    .register(registry)).increment();
        }
        return decision;
    }

    /** Whether a failure is the rollup's table missing: the request is answered from the template, and the store told. */
    boolean lost(RollupDecision decision, Throwable failure) {
        if (decision.rollup().isEmpty() || !undefinedTable(failure)) {
            return false;
        }
        store.lost(decision.rollup().get().rollup());
        return true;
    }

    private static boolean undefinedTable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg && UNDEFINED_TABLE.equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    private static boolean forceTemplate(Map<String, List<String>> parameters) {
        List<String> values = parameters.get("_rollup");
        if (values == null) {
            return false;
        }
        if (values.size() != 1 || !values.get(0).equals("off") && !values.get(0).equals("on")) {
            throw new RequestException("_rollup", "takes off (answer from the template as written) or on (the default: from a "
                    + "rollup that answers exactly, if any)", List.of("off", "on"));
        }
        return values.get(0).equals("off");
    }

    /** {@code rollup analysis/revenue-cube monthly; age=300s} or {@code template}: the {@code Quarry-Source} header. */
    static String header(RollupDecision decision, Instant now) {
        return decision.rollup().map(rollup -> "rollup " + rollup.rollup().label() + "; age="
                + Duration.between(decision.builtAt().orElse(now), now).toSeconds() + "s").orElse("template");
    }
}
