package dev.quarry.execute;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Singleton;

import dev.quarry.render.RenderedQuery;
import dev.quarry.template.TemplateHeader;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;

/**
 * Runs rendered queries on the reactive pool for every row at once (pages), each read-only and
 * under a statement timeout. Streams read through {@link CursorStreams} instead.
 */
@Singleton
public class QueryExecutor {

    private final Pool pool;
    private final SessionGuard guard;
    private final DatabaseAvailability availability;
    private final Canceller canceller;

    QueryExecutor(Pool pool, SessionGuard guard, DatabaseAvailability availability, Canceller canceller) {
        this.pool = pool;
        this.guard = guard;
        this.availability = availability;
        this.canceller = canceller;
    }

    /** How a template's statements run: its own timeout or the configured default, and its {@code @plan}. */
    public StatementSettings settings(TemplateHeader header) {
        return new StatementSettings(header.timeout().orElse(guard.defaultTimeout()), header.customPlan(), Optional.empty());
    }

    /** {@link #fetch(List, StatementSettings, Cancellation)} of work that runs to its end, such as a plan. */
    public CompletionStage<List<RowSet<Row>>> fetch(List<RenderedQuery> queries, StatementSettings settings) {
        return fetch(queries, settings, Cancellation.NEVER);
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
     * When {@code cancellation} is said, what has not started does not start, and what runs is
     * cancelled in PostgreSQL; either way the answer fails with a {@link CancellationException}.
     * <p>
     * On the Vert.x pool itself rather than its Mutiny wrapper: with SmallRye context propagation on
     * the classpath (Quarkus's Mutiny brings it), every Mutiny callback captures and restores the
     * thread's contexts (about 9% of a point lookup's JFR samples before); a page needs none of them.
     */
    public CompletionStage<List<RowSet<Row>>> fetch(List<RenderedQuery> queries, StatementSettings settings, Cancellation cancellation) {
        Availability.Attempt attempt = availability.attempt();
        return pool.getDelegate().withConnection(connection -> {
            if (cancellation.cancelled()) {
                return Future.<List<RowSet<Row>>>failedFuture(cancelled(null));
            }
            connection.exceptionHandler(SessionFailures::ignore);
            RunningStatements running = new RunningStatements(PgConnection.cast(connection));
            cancellation.whenCancelled(running::cancel);
            // the connection goes back once a cancel sent for it has been acted on, not before: it would cancel its next user
            return statements(connection, queries, settings).transform(done -> running.end().transform(ended -> cancellation.cancelled()
                    ? Future.failedFuture(cancelled(done.cause()))
                    : done.succeeded() ? Future.succeededFuture(done.result()) : Future.failedFuture(done.cause())));
        }).onComplete(result -> attempt.ended(result.failed() && cancellation.cancelled() ? null : result.cause())).toCompletionStage();
    }

    /** @param failure what the statements failed with, if they ran */
    private static CancellationException cancelled(Throwable failure) {
        CancellationException cancelled = new CancellationException("nobody waits for it any longer");
        cancelled.initCause(failure);
        return cancelled;
    }

    private Future<List<RowSet<Row>>> statements(SqlConnection connection, List<RenderedQuery> queries, StatementSettings settings) {
        if (queries.size() == 1 && guard.sessionGuards(settings)) {
            return statement(connection, queries.get(0)).map(rows -> List.of(mutiny(rows)));
        }
        // several statements see one snapshot: a page and its count agree
        String begin = new ReadOnlyTransaction(queries.size() > 1, settings).begin();
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
    }

    /** The statements running on one connection, cancelled at most once, and only while they run. */
    private final class RunningStatements {

        private final PgConnection connection;
        // guarded by this
        private boolean over;
        private Future<Void> cancel;

        RunningStatements(PgConnection connection) {
            this.connection = connection;
        }

        synchronized void cancel() {
            if (!over && cancel == null) {
                cancel = canceller.cancel(connection);
            }
        }

        /** Done once the statements have ended and a cancel sent for them has been acted on. */
        synchronized Future<Void> end() {
            over = true;
            return cancel == null ? Future.succeededFuture() : cancel.otherwiseEmpty();
        }
    }

    private static Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> statement(SqlClient client, RenderedQuery query) {
        return client.preparedQuery(query.sql()).execute(io.vertx.sqlclient.Tuple.from(query.values()));
    }

    private static RowSet<Row> mutiny(io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> rows) {
        return RowSet.newInstance(rows, Row.__TYPE_ARG);
    }
}
