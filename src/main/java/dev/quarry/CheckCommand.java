package dev.quarry;

import jakarta.inject.Inject;

import dev.quarry.execute.Catalog;
import dev.quarry.execute.CheckedTemplate;
import io.quarkus.runtime.QuarkusApplication;

/**
 * The {@code check} command: every template checked against the database as at startup, each broken
 * one said as {@code file:line: reason}; exits 1 if any is broken, without serving.
 */
public class CheckCommand implements QuarkusApplication {

    @Inject
    Catalog catalog;

    @Override
    public int run(String... args) {
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
