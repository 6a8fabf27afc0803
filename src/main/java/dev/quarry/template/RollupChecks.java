package dev.quarry.template;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a resolved template's rollups against what it declares, and parses their build values: an
 * unknown dimension, measure, parameter or column name, or a rollup that could never answer, stops
 * startup at the rollup's first line. What only the database can tell (the SQL of {@code where}, the
 * time column's type) the startup check finds by preparing each rollup's statements.
 */
final class RollupChecks {

    /** PostgreSQL's NAMEDATALEN - 1: a longer table name would be cut short without a word. */
    private static final int MAX_IDENTIFIER_BYTES = 63;

    private RollupChecks() {
    }

    static Template resolve(Template template) {
        List<RollupDeclaration> rollups = template.header().rollups();
        if (rollups.isEmpty()) {
            return template;
        }
        List<RollupDeclaration> checked = new ArrayList<>();
        for (RollupDeclaration rollup : rollups) {
            try {
                checked.add(check(template, rollup));
            } catch (IllegalArgumentException e) {
                throw new TemplateException(rollup.position().source(), rollup.position().line(), "rollup '" + rollup.name() + "': "
                        + e.getMessage());
            }
        }
        TemplateHeader h = template.header();
        TemplateHeader header = new TemplateHeader(h.summary(), h.description(), h.parameters(), h.sortable(), h.key(), h.order(),
                h.dimensions(), h.measures(), h.timeout(), h.roles(), h.cache(), h.customPlan(), h.budget(), List.copyOf(checked),
                h.group());
        return new Template(template.name(), template.source(), header, template.parameters(), template.body());
    }

    private static RollupDeclaration check(Template template, RollupDeclaration rollup) {
        if (!template.grouped()) {
            throw new IllegalArgumentException("a rollup belongs to a template with @dimension and @measure lines");
        }
        if (template.tenant()) {
            // built once for every caller, its rows would answer one tenant with another's
            throw new IllegalArgumentException("the template uses :" + Template.TENANT + ", and a rollup is built once for every"
                    + " tenant; serve its tenants from the template, or declare a rollup on a template without :" + Template.TENANT);
        }
        if (rollup.tableName().getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
            throw new IllegalArgumentException("its table name " + rollup.tableName() + " is longer than PostgreSQL's "
                    + MAX_IDENTIFIER_BYTES + " bytes; give it a shorter name");
        }
        known(rollup.dimensions(), template.header().dimensions().keySet(), "dimension");
        known(rollup.measures(), template.header().measures().keySet(), "measure");
        rollup.time().ifPresent(time -> {
            if (rollup.dimensions().contains(time.column())) {
                throw new IllegalArgumentException("its time column " + time.column() + " has the name of a dimension it keeps");
            }
        });
        for (String measure : rollup.measures()) {
            MeasureParts parts = MeasureParts.of(template.header().measures().get(measure));
            if (!parts.additive() && parts.windowed()) {
                throw new IllegalArgumentException("measure " + measure + " cannot be rolled up (" + parts.nonAdditive().get()
                        + ") and its window runs over the answer's rows, which are not the rollup's: leave it out of the rollup");
            }
            if (!parts.additive() && rollup.time().isPresent()) {
                throw new IllegalArgumentException("measure " + measure + " cannot be rolled up (" + parts.nonAdditive().get()
                        + ") and is exact only at the rollup's own grain, which no request has: the rollup also keeps "
                        + rollup.time().get().column() + " by " + rollup.time().get().grain().field()
                        + "; hold it in a rollup without a time column");
            }
        }
        if (rollup.partition().isPresent()) {
            if (rollup.time().isEmpty()) {
                throw new IllegalArgumentException("a partition splits the time column; declare one with time <column> <grain>");
            }
            if (rollup.partition().get().grain().compareTo(rollup.time().get().grain()) < 0) {
                throw new IllegalArgumentException("its partitions (" + rollup.partition().get().grain().field()
                        + ") are finer than its time grain (" + rollup.time().get().grain().field() + ")");
            }
        }
        Map<String, Object> build = new LinkedHashMap<>();
        rollup.build().forEach((name, text) -> {
            ParameterSpec parameter = template.parameters().get(name);
            if (parameter == null) {
                throw new IllegalArgumentException("build names '" + name + "', which is not a parameter of " + template.name()
                        + "; it has " + String.join(", ", template.parameters().keySet()));
            }
            try {
                build.put(name, parameter.parse(List.of((String) text)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("build value of " + name + " " + e.getMessage(), e);
            }
        });
        for (String parameter : rollup.whereParameters()) {
            ParameterSpec spec = template.parameters().get(parameter);
            if (spec == null) {
                throw new IllegalArgumentException("its where uses :" + parameter + ", which is not a parameter of " + template.name());
            }
            boolean temporal = spec.type().pgType() == PgType.DATE || spec.type().pgType() == PgType.TIMESTAMP;
            if (temporal && rollup.time().isEmpty()) {
                throw new IllegalArgumentException("its where compares the date :" + parameter
                        + " but it keeps no time column; declare one with time <column> <grain>");
            }
        }
        for (ParameterSpec parameter : template.parameters().values()) {
            if (parameter.required() && !build.containsKey(parameter.name())) {
                throw new IllegalArgumentException("parameter " + parameter.name()
                        + " has no default, so the rollup's build clause must give it a value");
            }
        }
        return new RollupDeclaration(rollup.template(), rollup.name(), rollup.position(), rollup.dimensions(), rollup.time(),
                rollup.measures(), Collections.unmodifiableMap(build), rollup.where(), rollup.partition(), rollup.refreshEvery(),
                rollup.freshFor(), rollup.staleAllowed());
    }

    private static void known(List<String> names, java.util.Set<String> declared, String kind) {
        for (String name : names) {
            if (!declared.contains(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a " + kind + " of the template; its " + kind + "s are "
                        + String.join(", ", declared));
            }
        }
    }
}
