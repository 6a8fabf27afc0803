package dev.quarry.rollup;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.quarry.template.RollupDeclaration;
import dev.quarry.template.Template;
import dev.quarry.template.TemplateFiles;

/**
 * Every declared rollup with what building it takes, from the template files as they are read at startup:
 * the same files the catalog serves, parsed on their own here, so that {@code load} and {@code refresh},
 * which check no template against the database, build from them too.
 */
@ApplicationScoped
public class RollupPlans {

    private final Optional<Path> directory;
    private volatile Map<RollupName, RollupPlan> plans;

    RollupPlans(@ConfigProperty(name = "quarry.templates.directory") Optional<Path> directory) {
        this.directory = directory;
    }

    /** Every declared rollup, template by template in the order declared. */
    List<RollupPlan> all() {
        return List.copyOf(plans().values());
    }

    Optional<RollupPlan> plan(RollupName name) {
        return Optional.ofNullable(plans().get(name));
    }

    /** The definition a table must have been built for to answer for this declaration; empty if it is not the one declared now. */
    Optional<String> definition(RollupDeclaration declaration) {
        RollupPlan plan = plans().get(new RollupName(declaration.template(), declaration.name()));
        return plan != null && plan.declaration().equals(declaration) ? Optional.of(plan.definition()) : Optional.empty();
    }

    private Map<RollupName, RollupPlan> plans() {
        Map<RollupName, RollupPlan> read = plans;
        if (read == null) {
            Map<RollupName, RollupPlan> made = new LinkedHashMap<>();
            for (Template template : TemplateFiles.load(directory).values()) {
                for (RollupDeclaration rollup : template.header().rollups()) {
                    RollupPlan plan = RollupPlan.of(template, rollup);
                    made.put(plan.name(), plan);
                }
            }
            read = Collections.unmodifiableMap(made);
            plans = read;
        }
        return read;
    }
}
