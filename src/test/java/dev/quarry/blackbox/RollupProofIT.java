package dev.quarry.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The shipped rollups proven by the packaged jar: {@code load} and {@code refresh} build them, then {@code check --rollups}
 * compares each with its template over random requests, byte for byte, and finds no difference.
 */
class RollupProofIT {

    private static String run(String name, String... arguments) throws Exception {
        try (PackagedApp app = PackagedApp.start(name, Map.of("QUARKUS_HTTP_PORT", Integer.toString(PackagedApp.freePort())),
                arguments)) {
            int exit = app.exitWithin(Duration.ofMinutes(10));
            assertThat(exit).as(app::output).isZero();
            return app.output();
        }
    }

    @Test
    void everyShippedRollupAnswersAsItsTemplate() throws Exception {
        // the dataset (loaded with its rollups unless an earlier run loaded it), then the rollups built for this build's declarations
        run("rollup-proof-it-load", "load", "--scale", "0.01");
        assertThat(run("rollup-proof-it-refresh", "refresh", "--full")).doesNotContain("FAILED");
        String output = run("rollup-proof-it-check", "check", "--rollups", "--requests", "60", "--seed", "27");
        List<String> proven = output.lines().filter(line -> line.startsWith("SAME ") || line.startsWith("DIFFERENT ")
                || line.startsWith("NOT PROVEN ")).toList();
        assertThat(proven).as(output).hasSize(6).allMatch(line -> line.startsWith("SAME ") && line.contains(", 0 differ"));
        assertThat(proven).anyMatch(line -> line.startsWith("SAME tpch/q01 daily: "))
                .anyMatch(line -> line.startsWith("SAME analysis/revenue-cube monthly: "))
                .anyMatch(line -> line.startsWith("SAME analysis/monthly-trend monthly: "));
        for (String line : proven) {
            int compared = Integer.parseInt(line.replaceFirst("^.*: (\\d+) answers compared.*$", "$1"));
            assertThat(compared).as(line).isGreaterThanOrEqualTo(40);
        }
    }
}
