package dev.quarry.templatetest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.quarry.templatetest.TestCase.Given;
import dev.quarry.templatetest.TestCase.Row;
import dev.quarry.util.ClasspathText;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * A case's rows, in empty temporary copies of the tables that shadow the real ones for the length of
 * its transaction. Rows are written to {@code pg_temp} by name, so even a mistake here could never
 * write to a real table.
 */
final class Fixtures {

    private static final String SHADOW = ClasspathText.read("templatetest/shadow-relations.sql");
    private static final String COLUMNS = ClasspathText.read("templatetest/shadow-columns.sql");

    private final SqlConnection connection;
    private final Duration timeout;

    Fixtures(SqlConnection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    /** Shadows every relation on the search path, then fills the shadows with the case's rows. */
    void load(TestCase testCase) {
        try {
            connection.query(SHADOW).execute().await().atMost(timeout);
        } catch (PgException e) {
            throw new TestFileException(testCase.source(), testCase.line(), "the tables could not be shadowed: "
                    + e.getErrorMessage());
        }
        for (Given given : testCase.given().values()) {
            List<String> columns = new ArrayList<>();
            connection.preparedQuery(COLUMNS).execute(Tuple.of(given.table())).await().atMost(timeout)
                    .forEach(row -> columns.add(row.getString(0)));
            if (columns.isEmpty()) {
                throw new TestFileException(testCase.source(), given.line(), "there is no table or view '" + given.table()
                        + "' on the search path to give rows to");
            }
            for (Row row : given.rows()) {
                insert(testCase, given.table(), columns, row);
            }
        }
    }

    private void insert(TestCase testCase, String table, List<String> columns, Row row) {
        JsonObject values = new JsonObject();
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> value : row.values().entrySet()) {
            if (!columns.contains(value.getKey())) {
                throw new TestFileException(testCase.source(), row.line(), table + " has no column '" + value.getKey()
                        + "'; its columns are " + String.join(", ", columns));
            }
            names.add(quote(value.getKey()));
            values.put(value.getKey(), value.getValue());
        }
        String target = "pg_temp." + quote(table);
        String list = String.join(", ", names);
        // PostgreSQL converts each text to the column's type; columns the row leaves out keep their default
        String insert = "INSERT INTO " + target + " (" + list + ") SELECT " + list + " FROM json_populate_record(NULL::"
                + target + ", $1::json)";
        try {
            connection.preparedQuery(insert).execute(Tuple.of(values)).await().atMost(timeout);
        } catch (PgException e) {
            throw new TestFileException(testCase.source(), row.line(), "this row does not fit " + table + ": "
                    + e.getErrorMessage());
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
