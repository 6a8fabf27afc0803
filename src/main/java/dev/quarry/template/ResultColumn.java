package dev.quarry.template;

import java.util.Optional;
import java.util.OptionalInt;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An output column as PostgreSQL describes it: its name, its type as {@code format_type} writes it,
 * and the type's modifier from the statement's row description ({@code atttypmod}: numeric(15,2)'s
 * precision and scale), -1 where PostgreSQL knows none, as for an expression or an aggregate.
 */
public record ResultColumn(String name, String type, @JsonIgnore int modifier) {

    /** PostgreSQL's numeric type modifier: (precision << 16 | scale) + 4, the scale in 11 bits and signed from 15 on. */
    private static final int VARHDRSZ = 4;

    /** A column whose type has no modifier. */
    public ResultColumn(String name, String type) {
        this(name, type, -1);
    }

    /** The type in Quarry's table of PostgreSQL types; empty for one it does not know. */
    public Optional<PgType> pgType() {
        return PgType.named(type);
    }

    /** The type a request's text for this column is read as, for filters and cursors; empty when it has none. */
    public Optional<PgType> valueType() {
        return pgType().flatMap(PgType::valueType);
    }

    /** A numeric column's declared precision, as in numeric(15,2); empty for an unconstrained numeric or another type. */
    @JsonIgnore
    public OptionalInt numericPrecision() {
        return pgType().filter(PgType.NUMERIC::equals).isPresent() && modifier >= VARHDRSZ
                ? OptionalInt.of(((modifier - VARHDRSZ) >> 16) & 0xffff)
                : OptionalInt.empty();
    }

    /** A numeric column's declared scale, as in numeric(15,2); negative scales exist from PostgreSQL 15 on. */
    @JsonIgnore
    public OptionalInt numericScale() {
        return numericPrecision().isPresent() ? OptionalInt.of((((modifier - VARHDRSZ) & 0x7ff) ^ 1024) - 1024) : OptionalInt.empty();
    }
}
