package dev.quarry.render;

import java.util.Optional;

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

    boolean textOnly() {
        return this == CONTAINS || this == ICONTAINS || this == STARTSWITH;
    }
}
