package dev.quarry.command;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import dev.quarry.rollup.RefreshResult;
import dev.quarry.rollup.RollupName;
import dev.quarry.rollup.RollupRefresher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code refresh [--template T] [--rollup R] [--full]}: the declared rollups built again, one line each;
 * exits 1 if any failed (its last good table still serving) or none is declared by those names.
 */
@Command(name = "refresh", description = "Builds the declared rollups again in the configured database (only their changed partitions where a change column is declared), then exits; exits 1 if any fails.")
final class RefreshCommand extends BatchCommand {

    @Option(names = "--template", paramLabel = "T", description = "only the rollups of this template (analysis/revenue-cube)")
    String template;

    @Option(names = "--rollup", paramLabel = "R", description = "only the rollups of this name (monthly)")
    String rollup;

    @Option(names = "--full", description = "rebuilds each rollup whole, even where only changed partitions would be")
    boolean full;

    @Inject
    RollupRefresher refresher;

    @Override
    Map<String, String> settings() {
        // the rollups are built from the template files, checked against the database by their builds
        return Map.of("quarry.templates.check-on-start", "false");
    }

    @Override
    int execute() {
        Predicate<RollupName> selected = name -> (template == null || name.template().equals(template))
                && (rollup == null || name.rollup().equals(rollup));
        try {
            List<RefreshResult> results = refresher.refresh(selected, full);
            if (results.isEmpty()) {
                System.err.println("quarry refresh: no rollup is declared" + (template == null ? "" : " by template " + template)
                        + (rollup == null ? "" : " with the name " + rollup) + "; declared: "
                        + (refresher.declared().isEmpty() ? "none" : refresher.declared()));
                return 1;
            }
            results.forEach(result -> System.out.println(result.describe()));
            long failed = results.stream().filter(result -> !result.succeeded()).count();
            System.out.println(results.size() + " rollups refreshed, " + failed + " failed");
            return failed == 0 ? 0 : 1;
        } catch (RuntimeException e) {
            System.err.println("quarry refresh: " + e.getMessage());
            return 1;
        }
    }
}
