package dev.quarry.rollup;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * What Quarry knows of one rollup's table: the row of {@code quarry_rollup.built} that its last good
 * build wrote, in the same transaction as the table it describes.
 *
 * @param definition     the hash of the statement the table was built with ({@link RollupPlan#definition()})
 * @param datasetVersion when the dataset it was built from was published, if Quarry loaded it
 * @param builtAt        when its rows were last known to match their source: a full build, or a refresh
 *                       that found no partition changed
 * @param changesUpto    the greatest value of the declared change column at that time, as text
 * @param lastError      why the last build failed, if one failed after this table was built
 */
public record RollupState(RollupName name, String definition, Optional<OffsetDateTime> datasetVersion, OffsetDateTime builtAt,
        long rows, long bytes, Optional<String> changesUpto, Optional<String> lastError, Optional<OffsetDateTime> failedAt) {

    /** How old its rows are at {@code now}. */
    public Duration age(Instant now) {
        return Duration.between(builtAt.toInstant(), now);
    }

    RollupState failed(String error, OffsetDateTime at) {
        return new RollupState(name, definition, datasetVersion, builtAt, rows, bytes, changesUpto, Optional.of(error), Optional.of(at));
    }
}
