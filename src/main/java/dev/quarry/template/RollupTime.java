package dev.quarry.template;

/**
 * The body column a rollup keeps truncated to a grain ({@code @rollup monthly time o_orderdate month}),
 * stored under the column's own name as {@code date_trunc(grain, column::timestamp)}.
 */
public record RollupTime(String column, TimeGrain grain) {
}
