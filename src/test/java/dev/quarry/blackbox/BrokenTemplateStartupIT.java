package dev.quarry.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A broken template stops startup with one line naming the file, the line and the reason: no stack trace. */
class BrokenTemplateStartupIT {

    @Test
    void startupStopsWithTheReasonAloneAndANonZeroExit() throws Exception {
        try (PackagedApp app = PackagedApp.start("broken-template-it", Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(PackagedApp.freePort()),
                "QUARRY_TEMPLATES_DIRECTORY", Path.of("src/test/resources/templates-broken").toAbsolutePath().toString()))) {
            assertThat(app.exitWithin(Duration.ofMinutes(3))).isEqualTo(1);
            String output = app.output();
            assertThat(output.lines().filter(line -> line.contains("broken/typo.sql")))
                    .containsExactly("broken/typo.sql:4: PostgreSQL: syntax error at or near \"=\"");
            assertThat(output).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("Failed to start");
        }
    }
}
