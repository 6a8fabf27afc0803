package dev.quarry.rollup;

import java.time.Duration;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How rollups are built: how long a swap waits for the readers of the old table before the build fails
 * (rather than queue every new reader behind it); up to how many rows a rollup is a reference table on
 * Citus; whether {@code serve} builds on its schedule, and how often it looks.
 */
@Singleton
class RollupSettings {

    private final Duration lockTimeout;
    private final long referenceRows;
    private final boolean scheduled;

    RollupSettings(@ConfigProperty(name = "quarry.rollup.lock-timeout", defaultValue = "10s") Duration lockTimeout,
            @ConfigProperty(name = "quarry.rollup.citus.reference-rows", defaultValue = "100000") long referenceRows,
            @ConfigProperty(name = "quarry.rollup.schedule.enabled", defaultValue = "true") boolean scheduled) {
        this.lockTimeout = lockTimeout;
        this.referenceRows = referenceRows;
        this.scheduled = scheduled;
    }

    Duration lockTimeout() {
        return lockTimeout;
    }

    long referenceRows() {
        return referenceRows;
    }

    boolean scheduled() {
        return scheduled;
    }
}
