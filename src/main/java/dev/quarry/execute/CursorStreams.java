package dev.quarry.execute;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.quarry.render.RenderedQuery;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Streams a rendered query's rows through a server-side cursor, in a read-only transaction of its own. */
@Singleton
public class CursorStreams {

    private final Pool pool;
    private final Canceller canceller;
    private final DatabaseAvailability availability;
    private final int fetchSize;

    CursorStreams(Pool pool, Canceller canceller, DatabaseAvailability availability,
            @ConfigProperty(name = "quarry.stream.fetch-size", defaultValue = "500") int fetchSize) {
        this.pool = pool;
        this.canceller = canceller;
        this.availability = availability;
        this.fetchSize = fetchSize;
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
    public Multi<RowSet<Row>> stream(RenderedQuery query, StatementSettings settings, Uni<Void> stop) {
        AtomicBoolean stopped = new AtomicBoolean();
        return Multi.createFrom().resource(
                () -> CursorSession.open(pool, canceller, availability.attempt(), new ReadOnlyTransaction(false, settings).begin(), query),
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
}
