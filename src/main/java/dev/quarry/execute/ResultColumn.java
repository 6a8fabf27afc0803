package dev.quarry.execute;

/** An output column as PostgreSQL describes it: its name and its type as {@code format_type} writes it. */
public record ResultColumn(String name, String type) {
}
