package dev.quarry.command;

import java.util.Map;

import jakarta.inject.Inject;

import dev.quarry.execute.Catalog;
import dev.quarry.execute.CheckedTemplate;
import dev.quarry.render.CursorCodec;
import dev.quarry.template.RollupDeclaration;
import dev.quarry.templatetest.RollupProof;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code check}: every template checked against the database as at startup, each broken one said as
 * {@code file:line: reason}; with {@code --rollups}, every declared rollup's table proven against its
 * template over random requests ({@link RollupProof}); exits 1 if any is broken, differs or is not built,
 * without serving.
 */
@Command(name = "check", description = "Checks every template against the configured database, as startup does; exits 1 if any is broken.")
final class CheckCommand extends BatchCommand {

    @Option(names = "--rollups", description = "Also compare every declared rollup with its template over random requests, byte for byte; "
            + "exits 1 if any answer differs or a rollup is not built.")
    boolean rollups;

    @Option(names = "--requests", description = "Random requests per rollup with --rollups (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    int requests;

    @Option(names = "--seed", description = "The seed of the random requests, to repeat a run (default: the time).")
    Long seed;

    @Inject
    Pool pool;

    @Inject
    CursorCodec cursors;

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
        boolean proven = !rollups || proveRollups();
        return broken == 0 && proven ? 0 : 1;
    }

    /** Every rollup of every sound template compared with its template; whether all were built and none differed. */
    private boolean proveRollups() {
        long start = seed != null ? seed : System.currentTimeMillis();
        System.out.println("Rollups proven over " + requests + " random requests each, seed " + start);
        boolean proven = true;
        SqlConnection connection = pool.getConnection().await().indefinitely();
        try {
            RollupProof proof = new RollupProof(connection, cursors);
            for (CheckedTemplate template : catalog.all()) {
                if (template.broken().isPresent()) {
                    continue;
                }
                for (RollupDeclaration rollup : template.template().header().rollups()) {
                    RollupProof.Result result;
                    try {
                        result = proof.prove(template, rollup, requests, start);
                    } catch (RuntimeException e) {
                        System.out.println("NOT PROVEN " + rollup.label() + ": " + e.getMessage());
                        proven = false;
                        continue;
                    }
                    result.differences().forEach(difference -> System.out.println("DIFFERS " + rollup.label() + " " + difference));
                    System.out.println((result.differences().isEmpty() ? "SAME " : "DIFFERENT ") + rollup.label() + ": "
                            + result.compared() + " answers compared, " + result.differences().size() + " differ, "
                            + result.skipped().size() + " requests it does not answer skipped");
                    proven &= result.differences().isEmpty() && result.compared() > 0;
                }
            }
        } finally {
            connection.closeAndAwait();
        }
        return proven;
    }
}
