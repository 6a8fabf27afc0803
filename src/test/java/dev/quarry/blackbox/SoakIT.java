package dev.quarry.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * The soak in the build: a minute of it (or {@code -Dsoak.duration=30m}, as soak-benchmark.sh runs
 * it), so that a change letting a client that leaves fail another's request, or an outage that
 * logs per request, does not land. Its table is printed and written to target/soak/report.md.
 */
class SoakIT {

    @Test
    void underLoadWithClientsLeavingAndDependenciesRestartedEveryAnswerIsRightAndTheLogTellsEachOutageOnce() throws Exception {
        Duration duration = parse(System.getProperty("soak.duration", "1m"));
        SoakReport report = Soak.run(duration);
        String table = report.table();
        System.out.println(table);
        Path written = Path.of("target/soak/report.md");
        Files.createDirectories(written.getParent());
        Files.writeString(written, table);
        assertThat(report.failures()).as(table).isEmpty();
    }

    /** 90s, 2m, 1h; or ISO-8601 (PT30M). */
    static Duration parse(String text) {
        if (text.startsWith("P") || text.startsWith("p")) {
            return Duration.parse(text);
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("a duration such as 90s, 30m or 1h, not " + text);
        };
    }
}
