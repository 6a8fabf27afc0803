package dev.quarry.template;

import java.util.Optional;

/** An output column as PostgreSQL describes it: its name and its type as {@code format_type} writes it. */
public record ResultColumn(String name, String type) {

    /** The type a request's text for this column is read as, for filters and cursors; empty when it has none. */
    public Optional<ParamType> valueType() {
        return switch (type) {
            case "integer", "smallint" -> Optional.of(ParamType.INT);
            case "bigint" -> Optional.of(ParamType.BIGINT);
            case "numeric" -> Optional.of(ParamType.NUMERIC);
            case "real" -> Optional.of(ParamType.REAL);
            case "double precision" -> Optional.of(ParamType.DOUBLE);
            case "date" -> Optional.of(ParamType.DATE);
            case "timestamp without time zone" -> Optional.of(ParamType.TIMESTAMP);
            case "boolean" -> Optional.of(ParamType.BOOLEAN);
            case "text", "character varying", "character", "name" -> Optional.of(ParamType.TEXT);
            default -> Optional.empty();
        };
    }
}
