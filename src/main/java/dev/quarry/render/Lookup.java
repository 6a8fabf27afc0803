package dev.quarry.render;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.quarry.template.PgType;

/** Django's lookups, as a filter's suffix: {@code revenue__gte=1000}. */
public enum Lookup {
    EXACT, NE, LT, LTE, GT, GTE, IN, RANGE, CONTAINS, ICONTAINS, STARTSWITH, ISNULL;

    public String suffix() {
        return name().toLowerCase();
    }

    static Optional<Lookup> of(String suffix) {
        for (Lookup lookup : values()) {
            if (lookup.suffix().equals(suffix)) {
                return Optional.of(lookup);
            }
        }
        return Optional.empty();
    }

    /** The lookups a filter on a column whose values are read as this type accepts: the text ones only on text. */
    public static List<Lookup> applicableTo(PgType type) {
        return Arrays.stream(values()).filter(lookup -> lookup.appliesTo(type)).toList();
    }

    boolean appliesTo(PgType type) {
        boolean textOnly = this == CONTAINS || this == ICONTAINS || this == STARTSWITH;
        return !textOnly || type == PgType.TEXT;
    }
}
