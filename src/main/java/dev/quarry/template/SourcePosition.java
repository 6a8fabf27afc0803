package dev.quarry.template;

/** A line of a template file, as messages name it: {@code analysis/top-customers.sql:12}. */
public record SourcePosition(String source, int line) {

    @Override
    public String toString() {
        return source + ":" + line;
    }
}
