package dev.quarry.execute;

import java.time.Duration;
import java.util.function.Consumer;

import jakarta.inject.Singleton;

import dev.quarry.render.RenderedQuery;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs one query as a request's runs (read-only, under its template's settings), but in a
 * transaction that first lets the caller fill temporary tables and that is rolled back at the end:
 * a template test's case, whose rows shadow the real tables for that query alone. It blocks, for the
 * test runner; a request never comes here.
 */
@Singleton
public class ScratchTransaction {

    private final Pool pool;

    ScratchTransaction(Pool pool) {
        this.pool = pool;
    }

    /**
     * @param  wait             how long to wait for any one answer of PostgreSQL's; past it the wait fails with
     *                          Mutiny's {@link io.smallrye.mutiny.TimeoutException}
     * @param  prepare          writes what the query is to read, on the transaction's connection while it is still writable
     * @throws RuntimeException as the pool or PostgreSQL failed, for {@link QueryProblem#of}
     */
    public RowSet<Row> fetch(RenderedQuery query, StatementSettings settings, Duration wait, Consumer<SqlConnection> prepare) {
        SqlConnection connection = pool.getConnection().await().atMost(wait);
        try {
            connection.query(new ReadOnlyTransaction(false, settings).beginWritable()).execute().await().atMost(wait);
            prepare.accept(connection);
            connection.query(ReadOnlyTransaction.READ_ONLY_FROM_HERE).execute().await().atMost(wait);
            return connection.preparedQuery(query.sql()).execute(Tuple.from(query.values())).await().atMost(wait);
        } finally {
            connection.query("ROLLBACK").execute().onFailure().recoverWithNull().await().atMost(wait);
            connection.closeAndAwait();
        }
    }
}
