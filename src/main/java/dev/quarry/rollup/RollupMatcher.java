package dev.quarry.rollup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.quarry.render.Grouping;
import dev.quarry.render.QueryRequest;
import dev.quarry.render.RollupRenderer;
import dev.quarry.render.RowSource;
import dev.quarry.template.MeasureParts;
import dev.quarry.template.ParameterSpec;
import dev.quarry.template.PgType;
import dev.quarry.template.ResultColumn;
import dev.quarry.template.RollupDeclaration;
import dev.quarry.template.Template;

/**
 * Chooses the rollup a request is answered from: among those that answer it exactly, the one with the
 * fewest grouping columns (dimensions and time), else the template. Pure: the same template, request
 * and candidates give the same decision.
 *
 * <p>A rollup answers exactly when it keeps every dimension the request groups by and holds every
 * measure it asks for; each non-additive measure is asked at exactly the rollup's dimensions; no measure
 * is a float (whose sum depends on the order rows are added in); each parameter its {@code where} does
 * not name has the value it was built with; each parameter its {@code where} names is given, on the
 * rollup's time grain for a date; and its table is usable now. Filters, sorts and pages apply to the
 * grouped rows, which are the same from either.
 */
public final class RollupMatcher {

    private RollupMatcher() {
    }

    /** @param forceTemplate the request asked for the template ({@code _rollup=off}) */
    public static RollupDecision match(Template template, QueryRequest request, List<RollupCandidate> candidates,
            boolean forceTemplate) {
        List<RollupDecision.Rejection> rejections = new ArrayList<>();
        List<RollupCandidate> exact = new ArrayList<>();
        for (RollupCandidate candidate : candidates) {
            Optional<String> reason = forceTemplate ? Optional.of("the request asks for the template (_rollup=off)")
                    : rejection(template, request, candidate);
            if (reason.isPresent()) {
                rejections.add(new RollupDecision.Rejection(candidate.rollup().name(), reason.get()));
            } else {
                exact.add(candidate);
            }
        }
        Optional<RollupCandidate> smallest = exact.stream().min(Comparator.comparingInt(RollupMatcher::groupingColumns));
        if (smallest.isEmpty()) {
            return new RollupDecision(new RowSource.Body(template), Optional.empty(), List.copyOf(rejections));
        }
        for (RollupCandidate other : exact) {
            if (other != smallest.get()) {
                rejections.add(new RollupDecision.Rejection(other.rollup().name(), "answers exactly too, but " + smallest.get().rollup()
                        .name() + " is smaller (" + groupingColumns(smallest.get()) + " grouping columns against "
                        + groupingColumns(other) + ")"));
            }
        }
        RollupCandidate chosen = smallest.get();
        return new RollupDecision(new RowSource.Rollup(template, chosen.rollup(), chosen.partTypes(), false), chosen.builtAt(),
                List.copyOf(rejections));
    }

    private static int groupingColumns(RollupCandidate candidate) {
        return candidate.rollup().dimensions().size() + (candidate.rollup().time().isPresent() ? 1 : 0);
    }

    private static Optional<String> rejection(Template template, QueryRequest request, RollupCandidate candidate) {
        RollupDeclaration rollup = candidate.rollup();
        if (request.grouping().isEmpty()) {
            return Optional.of("the request is not grouped");
        }
        Grouping grouping = request.grouping().get();
        for (String dimension : grouping.dimensions()) {
            if (!rollup.dimensions().contains(dimension)) {
                return Optional.of("it does not keep dimension " + dimension);
            }
        }
        for (String measure : grouping.measures()) {
            if (!rollup.measures().contains(measure)) {
                return Optional.of("it does not hold measure " + measure);
            }
            Optional<String> reason = measureRejection(template, request, rollup, grouping, measure);
            if (reason.isPresent()) {
                return reason;
            }
        }
        Map<String, Object> built = RollupRenderer.buildArguments(template, rollup);
        List<String> mapped = rollup.whereParameters();
        for (ParameterSpec parameter : template.parameters().values()) {
            String name = parameter.name();
            Object asked = request.arguments().get(name);
            if (mapped.contains(name)) {
                // an optional parameter left out is bound as NULL, which the where reads as the body's dropped block
                PgType type = parameter.type().pgType();
                boolean temporal = type == PgType.DATE || type == PgType.TIMESTAMP;
                if (asked != null && temporal && !rollup.time().orElseThrow().grain().starts(asked)) {
                    return Optional.of(name + "=" + asked + " does not fall on its " + rollup.time().get().grain().field() + " grain");
                }
            } else if (!Objects.deepEquals(asked, built.get(name))) {
                return Optional.of("it is built for " + name + "=" + show(built.get(name)) + ", the request asks " + name + "="
                        + show(asked));
            }
        }
        if (candidate.builtAt().isEmpty()) {
            return Optional.of("its table is not usable now (not built for this definition, missing, or older than fresh for)");
        }
        return Optional.empty();
    }

    private static Optional<String> measureRejection(Template template, QueryRequest request, RollupDeclaration rollup,
            Grouping grouping, String measure) {
        Optional<PgType> type = request.columns().stream().filter(column -> column.name().equals(measure)).findFirst()
                .flatMap(ResultColumn::pgType);
        if (type.isPresent() && (type.get() == PgType.DOUBLE || type.get() == PgType.REAL)) {
            return Optional.of("measure " + measure + " is a float, whose sums depend on the order rows are added in");
        }
        MeasureParts parts = MeasureParts.of(template.header().measures().get(measure));
        if (!parts.additive() && !new HashSet<>(grouping.dimensions()).equals(new HashSet<>(rollup.dimensions()))) {
            return Optional.of("measure " + measure + " is exact only at its own grain (" + String.join(", ", rollup.dimensions())
                    + "), since " + parts.nonAdditive().get() + "; the request groups by " + (grouping.dimensions().isEmpty() ? "nothing"
                            : String.join(", ", grouping.dimensions())));
        }
        return Optional.empty();
    }

    private static String show(Object value) {
        if (value == null) {
            return "(absent)";
        }
        return value instanceof Object[] array ? java.util.Arrays.toString(array) : String.valueOf(value);
    }
}
