package dev.quarry.command;

import java.util.Map;

import jakarta.inject.Inject;

import dev.quarry.execute.Catalog;
import dev.quarry.execute.CheckedTemplate;
import picocli.CommandLine.Command;

/**
 * {@code check}: every template checked against the database as at startup, each broken one said as
 * {@code file:line: reason}; exits 1 if any is broken, without serving.
 */
@Command(name = "check", description = "Checks every template against the configured database, as startup does; exits 1 if any is broken.")
final class CheckCommand extends BatchCommand {

    /** Every template checked at startup and each broken one kept aside, so that all are reported rather than the first. */
    static final Map<String, String> EVERY_TEMPLATE = Map.of(
            "quarkus.shutdown.delay-enabled", "false",
            "quarry.templates.on-error", "mark-broken",
            "quarkus.log.category.\"dev.quarry.execute.Catalog\".level", "OFF");

    @Inject
    Catalog catalog;

    @Override
    Map<String, String> settings() {
        return EVERY_TEMPLATE;
    }

    @Override
    int execute() {
        long broken = 0;
        for (CheckedTemplate template : catalog.all()) {
            if (template.broken().isPresent()) {
                broken++;
                System.out.println("BROKEN " + template.broken().get());
            }
        }
        System.out.println(catalog.all().size() + " templates checked, " + broken + " broken");
        return broken == 0 ? 0 : 1;
    }
}
