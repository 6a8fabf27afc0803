package dev.quarry.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The {@code load} command is a batch job: it opens no port, prints no server banner, and exits as
 * soon as the load is done instead of waiting out the server's shutdown delay.
 */
class LoadCommandIT {

    @Test
    void loadListensNowhereAndExitsWithoutTheShutdownDelay() throws Exception {
        int httpPort = PackagedApp.freePort();
        // the server's delay, made long here so that waiting it out would show
        try (PackagedApp app = PackagedApp.start("load-command-it", Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(httpPort), "QUARKUS_SHUTDOWN_DELAY", "60s"), "load", "--scale", "0.01")) {
            long started = System.nanoTime();
            int probes = 0;
            while (app.process().isAlive()) {
                assertThat(PackagedApp.accepts("127.0.0.1", httpPort)).as("something accepts on the HTTP port").isFalse();
                probes++;
                Thread.sleep(100);
            }
            assertThat(probes).as("the port was probed while the command ran").isPositive();
            assertThat(app.exitWithin(Duration.ZERO)).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
            String output = app.output();
            assertThat(output).containsPattern("TPC-H scale 0.01 is already loaded|Loaded TPC-H scale 0.01")
                    .doesNotContain("Listening on").doesNotContain("stream(s) in flight");
        }
    }
}
