package dev.quarry.rollup;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.quarry.render.RowSource;

/**
 * Where a request is answered from, and why each other rollup was not used.
 *
 * @param source     the chosen rollup's table, or the template's body
 * @param builtAt    when the chosen rollup was built; empty for the template
 * @param rejections each declared rollup not chosen, with the reason
 */
public record RollupDecision(RowSource source, Optional<Instant> builtAt, List<Rejection> rejections) {

    /** A rollup that was not used, and why. */
    public record Rejection(String rollup, String reason) {
    }

    public Optional<RowSource.Rollup> rollup() {
        return source instanceof RowSource.Rollup rollup ? Optional.of(rollup) : Optional.empty();
    }
}
