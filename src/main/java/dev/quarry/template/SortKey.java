package dev.quarry.template;

/** One column of an ordering: {@code -revenue} is revenue descending. */
public record SortKey(String column, boolean descending) {
}
