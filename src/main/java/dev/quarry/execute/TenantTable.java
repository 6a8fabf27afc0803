package dev.quarry.execute;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tenant-scoped table as {@code quarry.tenant.tables} names it: {@code customer.c_nationkey} (the
 * table holds the tenant in that column) or {@code orders.o_custkey=customer.c_custkey} (its rows
 * belong to the tenant of the row of another tenant-scoped table they join). A table may be
 * schema-qualified: {@code sales.orders.o_custkey=sales.customer.c_custkey}.
 *
 * @param table   the table, as written (resolved by PostgreSQL's search path)
 * @param column  the tenant's column, or the column that joins the other table
 * @param through the other table and its joined column, when the tenant is found through a join
 */
public record TenantTable(String table, String column, Optional<Column> through) {

    private static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_$]*";
    private static final Pattern COLUMN = Pattern.compile("((?:" + IDENTIFIER + "\\.)?" + IDENTIFIER + ")\\.(" + IDENTIFIER + ")");

    /** A table's column. */
    public record Column(String table, String column) {

        static Column parse(String text) {
            Matcher matcher = COLUMN.matcher(text.strip());
            if (!matcher.matches()) {
                throw new IllegalArgumentException("'" + text.strip() + "' is not table.column (or schema.table.column)");
            }
            return new Column(matcher.group(1), matcher.group(2));
        }
    }

    /** One entry of the list; an {@link IllegalArgumentException} says what is wrong with it. */
    static TenantTable parse(String entry) {
        int equals = entry.indexOf('=');
        Column own = Column.parse(equals < 0 ? entry : entry.substring(0, equals));
        Optional<Column> through = equals < 0 ? Optional.empty() : Optional.of(Column.parse(entry.substring(equals + 1)));
        return new TenantTable(own.table(), own.column(), through);
    }

    @Override
    public String toString() {
        return table + "." + column + through.map(other -> "=" + other.table() + "." + other.column()).orElse("");
    }
}
