package dev.quarry.execute;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.mutiny.sqlclient.desc.ColumnDescriptor;

/**
 * The type PostgreSQL gives each output column of a statement, written as {@code format_type} writes
 * it ("numeric", "character varying", "timestamp with time zone"). PostgreSQL 16 and later also show
 * these in {@code pg_prepared_statements.result_types}; this way works from 15 on, Citus included:
 * the statement runs under {@code LIMIT 0} on the right side of a one-row outer join, so each of its
 * columns arrives as a NULL of its own type and {@code pg_typeof} names that type exactly (domains,
 * enums and arrays too, which a wire type OID mapped by the client would not).
 */
final class ResultTypes {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ResultTypes() {
    }

    /** {@code columnCount} types, in output order, of {@code sql} run with {@code binds}. */
    static List<String> of(SqlConnection connection, String sql, Tuple binds, int columnCount) {
        if (columnCount == 0) {
            return List.of();
        }
        StringJoiner typeOf = new StringJoiner(", ");
        StringJoiner aliases = new StringJoiner(", ");
        for (int i = 1; i <= columnCount; i++) {
            typeOf.add("pg_typeof(q.c" + i + ")::text");
            aliases.add("c" + i);
        }
        String probe = "SELECT " + typeOf + " FROM (SELECT 1) AS one LEFT JOIN (SELECT * FROM (" + sql + ") AS q LIMIT 0) AS q("
                + aliases + ") ON true";
        Row row = connection.preparedQuery(probe).execute(binds).await().atMost(TIMEOUT).iterator().next();
        List<String> types = new ArrayList<>();
        for (int i = 0; i < columnCount; i++) {
            types.add(row.getString(i));
        }
        return types;
    }

    /**
     * The column's type modifier from the row description PostgreSQL sent ({@code atttypmod}:
     * numeric(15,2)'s precision and scale), -1 when it has none. No SQL function gives an
     * expression's modifier and the client keeps it in a field of its own description class, so
     * it is read from there; -1 if a client version no longer has that field.
     */
    static int modifier(ColumnDescriptor column) {
        try {
            Object description = column.getDelegate();
            Field field = description.getClass().getDeclaredField("typeModifier");
            field.setAccessible(true);
            return field.getInt(description);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }
}
