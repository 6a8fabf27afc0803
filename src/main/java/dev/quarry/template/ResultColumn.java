package dev.quarry.template;

import java.util.Optional;

/** An output column as PostgreSQL describes it: its name and its type as {@code format_type} writes it. */
public record ResultColumn(String name, String type) {

    /** The type in Quarry's table of PostgreSQL types; empty for one it does not know. */
    public Optional<PgType> pgType() {
        return PgType.named(type);
    }

    /** The type a request's text for this column is read as, for filters and cursors; empty when it has none. */
    public Optional<PgType> valueType() {
        return pgType().flatMap(PgType::valueType);
    }
}
