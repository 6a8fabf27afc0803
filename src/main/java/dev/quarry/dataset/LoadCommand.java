package dev.quarry.dataset;

import jakarta.inject.Inject;

import io.quarkus.runtime.QuarkusApplication;

/** The {@code load} command: loads TPC-H into whatever database is configured, telling progress per table. */
public class LoadCommand implements QuarkusApplication {

    @Inject
    DatasetLoader loader;

    @Override
    public int run(String... args) {
        LoadArguments arguments = LoadArguments.parse(args);
        try {
            loader.load(arguments.scale(), arguments.force(), System.out::println);
            return 0;
        } catch (RuntimeException e) {
            System.err.println("quarry load: " + e.getMessage());
            return 1;
        }
    }
}
