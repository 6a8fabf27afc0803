package dev.quarry.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * A heap too small for the TPC-H generator's text pool, as a container gives it (-Xmx128m): the first start
 * and the load command each say so in one line, with the -Xmx to set, before the load begins, and exit
 * non-zero without an OutOfMemoryError or a stack trace. The -Xmx they name is enough.
 */
class SmallHeapIT {

    private static final Pattern ADVICE = Pattern.compile("loading TPC-H needs about \\d+ MB of heap for the generator's 300 MB"
            + " text pool and \\d+ load workers; this JVM may use \\d+ MB.*: start it with -Xmx(\\d+)m");

    @Test
    void aFirstStartSaysWhatToSetInOneLine() throws Exception {
        try (PackagedApp app = PackagedApp.start("small-heap-first-start", smallHeap("first-start"))) {
            assertThat(app.exitWithin(Duration.ofMinutes(3))).isEqualTo(1);
            String output = app.output();
            List<String> advice = adviceLines(output);
            assertThat(advice).hasSize(1);
            assertThat(advice.get(0)).endsWith(", or set quarry.dataset.load-on-start=none and load it with the load command from"
                    + " a bigger JVM");
            assertNoStackTrace(output);
            assertThat(output).doesNotContain("Loading TPC-H").doesNotContain("Listening on");
        }
    }

    @Test
    void theLoadCommandSaysWhatToSetAndThatIsEnough() throws Exception {
        Map<String, String> environment = smallHeap("load");
        String advice;
        try (PackagedApp app = PackagedApp.start("small-heap-load", environment, "load", "--scale", "0.01")) {
            assertThat(app.exitWithin(Duration.ofMinutes(3))).isEqualTo(1);
            String output = app.output();
            assertThat(adviceLines(output)).hasSize(1).allMatch(line -> line.startsWith("quarry load: loading TPC-H needs"));
            assertNoStackTrace(output);
            assertThat(output).doesNotContain("Loading TPC-H");
            advice = adviceLines(output).get(0);
        }
        Matcher maxHeap = ADVICE.matcher(advice);
        assertThat(maxHeap.find()).isTrue();
        Map<String, String> enough = new HashMap<>(environment);
        enough.put("JDK_JAVA_OPTIONS", "-Xmx" + maxHeap.group(1) + "m");
        try (PackagedApp app = PackagedApp.start("small-heap-load-enough", enough, "load", "--scale", "0.01")) {
            assertThat(app.exitWithin(Duration.ofMinutes(3))).as(app::output).isZero();
            assertThat(app.output()).contains("Loaded TPC-H scale 0.01: 86,805 rows");
        }
    }

    /** A data directory of its own, empty, so that the start has to load; the heap a small container gives. */
    private static Map<String, String> smallHeap(String name) throws IOException {
        Path data = Path.of("target/small-heap-it", name).toAbsolutePath();
        if (Files.exists(data)) {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
        return Map.of("QUARRY_EMBEDDED_DATA_DIRECTORY", data.toString(),
                "QUARKUS_HTTP_PORT", Integer.toString(PackagedApp.freePort()),
                // as a container's environment sets it; the launcher reads it before the jar's own arguments
                "JDK_JAVA_OPTIONS", "-Xmx128m");
    }

    private static List<String> adviceLines(String output) {
        return output.lines().filter(line -> ADVICE.matcher(line).find()).toList();
    }

    private static void assertNoStackTrace(String output) {
        assertThat(output).doesNotContain("OutOfMemoryError").doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("Failed to start");
    }
}
