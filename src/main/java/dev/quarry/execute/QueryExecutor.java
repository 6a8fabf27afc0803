package dev.quarry.execute;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.quarry.render.RenderedQuery;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.SqlClient;

/**
 * Runs rendered queries on the reactive pool, each read-only and under a statement timeout: a page
 * all at once, a stream through a server-side cursor in a transaction of its own.
 */
@Singleton
public class QueryExecutor {

    private final Pool pool;
    private final SessionGuard guard;
    private final Canceller canceller;
    private final int fetchSize;

    QueryExecutor(Pool pool, SessionGuard guard, Canceller canceller,
            @ConfigProperty(name = "quarry.stream.fetch-size", defaultValue = "500") int fetchSize) {
        this.pool = pool;
        this.guard = guard;
        this.canceller = canceller;
        this.fetchSize = fetchSize;
    }

    public Duration defaultTimeout() {
        return guard.defaultTimeout();
    }

    /**
     * Every row of each query, one after the other in one snapshot (a page and its count agree).
     * One query with the default timeout, on sessions guarded at login ({@link QueryGuard#SESSION}),
     * is one statement and needs no transaction of its own: for a point lookup the wrapper's three
     * statements added 60% and more to the work of PostgreSQL and of Quarry (README, "Benchmark:
     * throughput"). Otherwise BEGIN, the statements and COMMIT are pipelined: sent
     * together, answered in one round trip. A failed statement aborts the transaction, and PostgreSQL
     * answers the COMMIT with a rollback.
     * <p>
     * On the Vert.x pool itself rather than its Mutiny wrapper: with SmallRye context propagation on
     * the classpath (Quarkus's Mutiny brings it), every Mutiny callback captures and restores the
     * thread's contexts (about 9% of a point lookup's JFR samples before); a page needs none of them.
     */
    public CompletionStage<List<RowSet<Row>>> fetch(List<RenderedQuery> queries, Duration timeout) {
        return fetchOnPool(queries, timeout).toCompletionStage();
    }

    private Future<List<RowSet<Row>>> fetchOnPool(List<RenderedQuery> queries, Duration timeout) {
        if (queries.size() == 1 && guard.sessionGuards(timeout)) {
            return statement(pool.getDelegate(), queries.get(0)).map(rows -> List.of(mutiny(rows)));
        }
        // several statements see one snapshot: a page and its count agree
        String begin = new ReadOnlyTransaction(queries.size() > 1, timeout).begin();
        return pool.getDelegate().withConnection(connection -> {
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

    /**
     * The rows through a cursor, in batches of {@code fetch-size} as the subscriber asks for them (the
     * last batch may be empty). The connection is held for the stream and given back on every path; a
     * cancelled stream also cancels the statement in PostgreSQL, which closing the cursor alone would
     * not stop.
     *
     * @param stop fails when the stream must end early (the server is stopping): the statement is then
     *             cancelled and the session closed, and only after that does the stream fail with
     *             stop's failure, so the end a client sees comes after the cleanup
     */
    public Multi<RowSet<Row>> stream(RenderedQuery query, Duration timeout, Uni<Void> stop) {
        AtomicBoolean stopped = new AtomicBoolean();
        return Multi.createFrom().resource(
                () -> CursorSession.open(pool, canceller, new ReadOnlyTransaction(false, timeout).begin(), query),
                session -> until(session.whenOpen().onItem().transformToMulti(open -> open.batches(fetchSize, Tuple.from(query.values()))),
                        stop.onFailure().invoke(() -> stopped.set(true))))
                // a stopped stream's statement may still be running (or a read in flight): cancel it first
                .withFinalizer(CursorSession::complete, (session, failure) -> stopped.get() ? session.cancel() : session.abort(),
                        CursorSession::cancel);
    }

    /** The items, failing with stop's failure as soon as it fails; completing as they do. */
    private static <T> Multi<T> until(Multi<T> items, Uni<Void> stop) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        // emits nothing: fails when stop does, or completes when the items end
        Multi<T> stopper = Uni.combine().any().of(stop, Uni.createFrom().completionStage(ended)).onItem().<T>transform(ignored -> null)
                .toMulti();
        // one request at a time from the items, as the subscriber asks: the merge must not read ahead
        return Multi.createBy().merging().withRequests(1).streams(items.onTermination().invoke(() -> ended.complete(null)), stopper);
    }

    static Uni<Void> rollback(SqlConnection connection) {
        return connection.query("ROLLBACK").execute().replaceWithVoid().onFailure().recoverWithNull();
    }
}
