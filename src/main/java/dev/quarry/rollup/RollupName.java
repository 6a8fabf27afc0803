package dev.quarry.rollup;

/** A rollup by the template that declares it and its own name there: {@code analysis/revenue-cube}, {@code monthly}. */
public record RollupName(String template, String rollup) {

    @Override
    public String toString() {
        return template + " " + rollup;
    }
}
