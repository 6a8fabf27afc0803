package dev.quarry.template;

import java.util.Optional;

/**
 * How a rollup's table is split for refreshing part of it ({@code partition year changes o_orderdate}).
 *
 * @param grain   the span of the rollup's time column each partition holds
 * @param changes the body column whose values newer than the last build mark a partition to rebuild
 */
public record RollupPartition(TimeGrain grain, Optional<String> changes) {
}
