package dev.quarry.rollup;

import java.time.Duration;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Each rollup's builds: how long they took, counted by what was built (everything, or the changed
 * partitions) and how it ended, so a failing refresh shows as a count of failures per rollup.
 */
@Singleton
class RollupMeters {

    private final MeterRegistry registry;

    RollupMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A build of {@code scope} (full, partitions) that ended in {@code outcome} (built, failed). */
    void refresh(RollupName name, String scope, String outcome, Duration took) {
        Timer.builder("quarry.rollup.refresh")
                .description("Time to build a rollup's table, or its changed partitions, and swap it in")
                .tags("template", name.template(), "rollup", name.rollup(), "scope", scope, "outcome", outcome)
                .register(registry)
                .record(took);
    }
}
