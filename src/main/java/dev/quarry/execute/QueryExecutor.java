package dev.quarry.execute;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Singleton;

import dev.quarry.render.RenderedQuery;
import dev.quarry.template.TemplateHeader;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;

/**
 * Runs rendered queries on the reactive pool for every row at once (pages), each read-only and
 * under a statement timeout. Streams read through {@link CursorStreams} instead.
 */
@Singleton
public class QueryExecutor {

    private final Pool pool;
    private final SessionGuard guard;
    private final DatabaseAvailability availability;

    QueryExecutor(Pool pool, SessionGuard guard, DatabaseAvailability availability) {
        this.pool = pool;
        this.guard = guard;
        this.availability = availability;
    }

    /** How a template's statements run: its own timeout or the configured default, and its {@code @plan}. */
    public StatementSettings settings(TemplateHeader header) {
        return new StatementSettings(header.timeout().orElse(guard.defaultTimeout()), header.customPlan(), Optional.empty());
    }

    /**
     * Every row of each query, one after the other in one snapshot (a page and its count agree).
     * One query with the default timeout, on sessions guarded at login ({@link QueryGuard#SESSION}),
     * is one statement and needs no transaction of its own: for a point lookup the wrapper's three
     * statements added 60% and more to the work of PostgreSQL and of Quarry (src/site/markdown/benchmarks/throughput.md). Otherwise BEGIN,
     * the statements and COMMIT are pipelined: sent
     * together, answered in one round trip. A failed statement aborts the transaction, and PostgreSQL
     * answers the COMMIT with a rollback.
     * <p>
     * On the Vert.x pool itself rather than its Mutiny wrapper: with SmallRye context propagation on
     * the classpath (Quarkus's Mutiny brings it), every Mutiny callback captures and restores the
     * thread's contexts (about 9% of a point lookup's JFR samples before); a page needs none of them.
     */
    public CompletionStage<List<RowSet<Row>>> fetch(List<RenderedQuery> queries, StatementSettings settings) {
        Availability.Attempt attempt = availability.attempt();
        return fetchOnPool(queries, settings).onComplete(result -> attempt.ended(result.cause())).toCompletionStage();
    }

    private Future<List<RowSet<Row>>> fetchOnPool(List<RenderedQuery> queries, StatementSettings settings) {
        if (queries.size() == 1 && guard.sessionGuards(settings)) {
            return statement(pool.getDelegate(), queries.get(0)).map(rows -> List.of(mutiny(rows)));
        }
        // several statements see one snapshot: a page and its count agree
        String begin = new ReadOnlyTransaction(queries.size() > 1, settings).begin();
        return pool.getDelegate().withConnection(connection -> {
            connection.exceptionHandler(SessionFailures::ignore);
            List<Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>>> steps = new ArrayList<>(queries.size() + 2);
            steps.add(connection.query(begin).execute());
            for (RenderedQuery query : queries) {
                steps.add(statement(connection, query));
            }
            steps.add(connection.query("COMMIT").execute());
            // every step answered before the connection goes back; the first failure is the one to tell
            return Future.join(steps).transform(all -> {
                for (Future<?> step : steps) {
                    if (step.failed()) {
                        return Future.failedFuture(step.cause());
                    }
                }
                List<RowSet<Row>> results = new ArrayList<>(queries.size());
                for (Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> step : steps.subList(1, steps.size() - 1)) {
                    results.add(mutiny(step.result()));
                }
                return Future.succeededFuture(results);
            });
        });
    }

    private static Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> statement(SqlClient client, RenderedQuery query) {
        return client.preparedQuery(query.sql()).execute(io.vertx.sqlclient.Tuple.from(query.values()));
    }

    private static RowSet<Row> mutiny(io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> rows) {
        return RowSet.newInstance(rows, Row.__TYPE_ARG);
    }
}
