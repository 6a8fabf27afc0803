package dev.quarry.rollup;

import java.time.Duration;
import java.util.Optional;

/**
 * How a rollup's refresh ended.
 *
 * @param state      the state it left, if it succeeded
 * @param partitions how many partitions it rebuilt, if it rebuilt only the changed ones
 * @param failure    why it failed, in one line; the last good table, if any, is still serving
 */
public record RefreshResult(RollupName name, Duration took, Optional<RollupState> state, Optional<Integer> partitions,
        Optional<String> failure) {

    public boolean succeeded() {
        return failure.isEmpty();
    }

    /** One line for a person: what was built, how large, how long it took; or why it failed. */
    public String describe() {
        String seconds = String.format("%.1f s", took.toMillis() / 1000.0);
        if (failure.isPresent()) {
            return "FAILED " + name + " after " + seconds + ": " + failure.get();
        }
        RollupState built = state.orElseThrow();
        String scope = partitions.map(count -> count + (count == 1 ? " changed partition" : " changed partitions")).orElse("built");
        return String.format("%s %s: %,d rows, %,d bytes, %s in %s", scope.equals("built") ? "BUILT" : "REFRESHED", name, built.rows(),
                built.bytes(), scope, seconds);
    }
}
