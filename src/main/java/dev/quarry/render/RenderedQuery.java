package dev.quarry.render;

import java.util.List;
import java.util.Optional;

import dev.quarry.template.SourcePosition;

/**
 * SQL text with {@code $n} placeholders, the values bound to them in order, and where each piece
 * of template text landed, so that PostgreSQL's error position leads back to a file and line.
 */
public record RenderedQuery(String sql, List<Object> values, List<Origin> origins) {

    /** Template text from {@code line} of {@code source} starts at {@code offset} of the SQL. */
    public record Origin(int offset, String source, int line) {
    }

    /** Where the template text at a zero-based offset of the SQL came from, if it came from a template. */
    public Optional<SourcePosition> locate(int offset) {
        Origin found = null;
        for (Origin origin : origins) {
            if (origin.offset() <= offset) {
                found = origin;
            }
        }
        if (found == null) {
            return Optional.empty();
        }
        int line = found.line();
        for (int i = found.offset(); i < Math.min(offset, sql.length()); i++) {
            if (sql.charAt(i) == '\n') {
                line++;
            }
        }
        return Optional.of(new SourcePosition(found.source(), line));
    }
}
