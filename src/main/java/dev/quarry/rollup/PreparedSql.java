package dev.quarry.rollup;

import java.lang.reflect.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.quarry.render.RenderedQuery;

/**
 * A rendered statement ({@code $n} placeholders, bound values) run over JDBC, which knows only {@code ?}:
 * prepared on the server with {@code PREPARE}, so PostgreSQL infers each parameter's type as it does for
 * a request, and executed with each value as an untyped literal of that type. {@code CREATE TABLE AS}
 * takes a prepared statement's {@code EXECUTE}, which a JDBC parameter could not reach.
 */
final class PreparedSql {

    private static final AtomicLong NAMES = new AtomicLong();

    private PreparedSql() {
    }

    /** Creates {@code table} (qualified, quoted) from the statement's rows: how many rows it holds. */
    static long createTable(Connection connection, String table, RenderedQuery query) throws SQLException {
        return run(connection, query, execute -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + table + " AS " + execute);
                return (long) statement.getUpdateCount();
            }
        });
    }

    /** The first column of every row, as text. */
    static List<String> texts(Connection connection, RenderedQuery query) throws SQLException {
        return run(connection, query, execute -> {
            List<String> texts = new ArrayList<>();
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(execute)) {
                while (rs.next()) {
                    texts.add(rs.getString(1));
                }
            }
            return texts;
        });
    }

    private interface Execution<T> {
        T run(String execute) throws SQLException;
    }

    private static <T> T run(Connection connection, RenderedQuery query, Execution<T> execution) throws SQLException {
        if (query.values().isEmpty()) {
            return execution.run(query.sql());
        }
        // a name of its own per statement: PREPARE outlives a rolled-back savepoint, so a reused name could collide
        String name = "quarry_rollup_" + NAMES.incrementAndGet();
        try (Statement statement = connection.createStatement()) {
            statement.execute("PREPARE " + name + " AS " + query.sql());
        }
        try {
            List<String> literals = new ArrayList<>();
            for (Object value : query.values()) {
                literals.add(literal(value));
            }
            return execution.run("EXECUTE " + name + "(" + String.join(", ", literals) + ")");
        } finally {
            deallocate(connection, name);
        }
    }

    private static void deallocate(Connection connection, String name) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DEALLOCATE " + name);
        } catch (SQLException e) {
            // an aborted transaction refuses it; the statement goes with the connection or the next DEALLOCATE ALL
        }
    }

    /**
     * A value as PostgreSQL reads it in a literal of unknown type, which takes the parameter's type: the
     * text form Quarry's values print ({@code 1992-01-01}, {@code 0.05}), a list or array as an array literal.
     */
    static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        return quote(text(value));
    }

    private static String text(Object value) {
        if (value instanceof java.math.BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Collection<?> list) {
            return arrayText(list.toArray());
        }
        if (value.getClass().isArray()) {
            Object[] elements = new Object[Array.getLength(value)];
            for (int i = 0; i < elements.length; i++) {
                elements[i] = Array.get(value, i);
            }
            return arrayText(elements);
        }
        return value.toString();
    }

    private static String arrayText(Object[] elements) {
        StringBuilder out = new StringBuilder("{");
        for (Object element : elements) {
            out.append(out.length() > 1 ? "," : "");
            if (element == null) {
                out.append("NULL");
            } else {
                out.append('"').append(text(element).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return out.append('}').toString();
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
