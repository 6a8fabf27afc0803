package dev.quarry.render;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates SQL text and bound values. A named parameter gets its {@code $n} the first time it is
 * written and the same {@code $n} after that; text from a request never passes through here.
 */
final class SqlWriter {

    private final StringBuilder sql = new StringBuilder(512);
    private final List<Object> values = new ArrayList<>();
    private final Map<String, Integer> positions = new HashMap<>();
    private final List<RenderedQuery.Origin> origins = new ArrayList<>();

    SqlWriter append(String text) {
        sql.append(text);
        return this;
    }

    /** Template text, remembered with where it came from. */
    SqlWriter template(String text, String source, int line) {
        origins.add(new RenderedQuery.Origin(sql.length(), source, line));
        sql.append(text);
        return this;
    }

    /** A template parameter: bound once, however often the SQL uses it. */
    SqlWriter parameter(String name, Object value) {
        Integer position = positions.get(name);
        if (position == null) {
            values.add(value);
            position = values.size();
            positions.put(name, position);
        }
        sql.append('$').append(position);
        return this;
    }

    /** A value of its own, such as a filter's or a cursor's. */
    SqlWriter value(Object value) {
        values.add(value);
        sql.append('$').append(values.size());
        return this;
    }

    /** An identifier that came from the template's declared or described names, quoted for PostgreSQL. */
    SqlWriter identifier(String name) {
        sql.append('"').append(name.replace("\"", "\"\"")).append('"');
        return this;
    }

    RenderedQuery query() {
        return new RenderedQuery(sql.toString(), Collections.unmodifiableList(values), Collections.unmodifiableList(origins));
    }
}
