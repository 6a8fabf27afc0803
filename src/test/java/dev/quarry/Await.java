package dev.quarry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition that the service reaches on its own time, polling, and fails past a deadline. */
public final class Await {

    private Await() {
    }

    public static void until(Duration deadline, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited " + deadline.toSeconds() + " s").isLessThan(end);
            Thread.sleep(20);
        }
    }
}
