package dev.quarry.execute;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.quarry.render.RenderedQuery;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.PreparedStatement;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One streamed query: a dedicated connection, its transaction, the prepared statement and its
 * cursor. Each way out (complete, failed, cancelled) closes all four, in order.
 *
 * <p>The session exists from the stream's subscription on, before it is open, so that its finalizer
 * always finds it. Its opening is never cancelled: a client that hangs up while its stream waits for
 * one of the pool's connections would otherwise leave the pool handing that connection over to
 * nobody, and it would never go back. A session that ended before it was open closes its connection
 * as soon as it arrives.
 */
final class CursorSession {

    private static final Duration CANCEL_AGAIN_AFTER = Duration.ofMillis(250);

    private final CompletableFuture<CursorSession> opened = new CompletableFuture<>();
    private final Canceller cancels;
    // guarded by this: the opening and the end of the stream may come on different threads
    private SqlConnection connection;
    private PreparedStatement statement;
    private boolean ended;
    private Cursor cursor;
    /** The read PostgreSQL is executing now, if any. */
    private volatile Uni<RowSet<Row>> reading;

    private CursorSession(Canceller cancels) {
        this.cancels = cancels;
    }

    /** Starts opening a session: a connection, BEGIN with {@code begin}, the prepared query; the attempt ends with the opening. */
    static CursorSession open(Pool pool, Canceller cancels, Availability.Attempt attempt, String begin, RenderedQuery query) {
        CursorSession session = new CursorSession(cancels);
        session.opened.whenComplete((open, failure) -> attempt.ended(failure));
        pool.getConnection().subscribe().with(connection -> session.begin(connection, begin, query),
                session.opened::completeExceptionally);
        return session;
    }

    /** The session once it is open, or the failure that kept it from opening. */
    Uni<CursorSession> whenOpen() {
        return Uni.createFrom().completionStage(opened);
    }

    private void begin(SqlConnection connection, String begin, RenderedQuery query) {
        connection.exceptionHandler(SessionFailures::ignore);
        if (isEnded()) {
            connection.close().subscribe().with(closed -> {}, failure -> {});
            return;
        }
        connection.query(begin).execute()
                .chain(() -> connection.prepare(query.sql()))
                .onFailure().call(() -> rollback(connection).chain(connection::close))
                .subscribe().with(statement -> prepared(connection, statement), opened::completeExceptionally);
    }

    private void prepared(SqlConnection connection, PreparedStatement statement) {
        boolean wanted;
        synchronized (this) {
            wanted = !ended;
            if (wanted) {
                this.connection = connection;
                this.statement = statement;
            }
        }
        if (wanted) {
            opened.complete(this);
        } else {
            statement.close().onFailure().recoverWithNull().chain(() -> rollback(connection))
                    .chain(connection::close).subscribe().with(closed -> {}, failure -> {});
        }
    }

    /**
     * The rows in the batches PostgreSQL sends, {@code fetchSize} at a time, each asked for when the
     * subscriber wants a batch. The next batch is asked for as soon as one arrives, before it is
     * handed on, so PostgreSQL produces it while this one is encoded. The last batch may be empty.
     */
    Multi<RowSet<Row>> batches(int fetchSize, Tuple arguments) {
        cursor = statement.cursor(arguments);
        AtomicReference<Uni<RowSet<Row>>> next = new AtomicReference<>(read(fetchSize));
        // whether the batch just read was not the last: once the next read is sent, hasMore() is that read's
        AtomicBoolean more = new AtomicBoolean(true);
        return Multi.createBy().repeating().uni(() -> next.get().invoke(batch -> {
            more.set(cursor.hasMore());
            if (more.get()) {
                next.set(read(fetchSize));
            }
        }))
                .whilst(batch -> more.get());
    }

    /**
     * A read sent now. Memoized: its batch (or failure) waits for the subscriber, and a cancel can
     * wait for the read's end whether or not the stream still listens; a failure nobody waits for is
     * dropped.
     */
    private Uni<RowSet<Row>> read(int fetchSize) {
        Uni<RowSet<Row>> read = cursor.read(fetchSize).onItemOrFailure().invoke(() -> reading = null).memoize().indefinitely();
        reading = read;
        read.subscribe().with(batch -> {}, failure -> {});
        return read;
    }

    Uni<Void> complete() {
        if (!end()) {
            return Uni.createFrom().voidItem();
        }
        return closeCursor()
                .chain(() -> connection.query("COMMIT").execute().replaceWithVoid().onFailure().recoverWithNull())
                .chain(connection::close);
    }

    Uni<Void> abort() {
        if (!end()) {
            return Uni.createFrom().voidItem();
        }
        return closeCursor().chain(() -> rollback(connection)).chain(connection::close);
    }

    /**
     * A read still executing (an aggregate before its first row) is stopped in PostgreSQL first, and
     * the connection is only given back once the server has acted on the cancel request and that read
     * has ended. A cancel request works on the server process, not on a statement: one that arrived
     * after the connection went back would stop the next stream's statement in its place
     * ({@link CancelRequest}). Between reads nothing executes, and closing the cursor is enough.
     */
    Uni<Void> cancel() {
        Uni<RowSet<Row>> executing = reading;
        if (!isOpen() || executing == null) {
            return abort();
        }
        return cancelUntilEnded(executing).chain(this::abort);
    }

    /**
     * Cancel requests until the read has ended. A request that reaches the backend before it begins
     * to execute the read (still reading the messages that start it) is dropped, and the statement
     * would run to its end: while the read goes on, it is asked again.
     */
    private Uni<Void> cancelUntilEnded(Uni<RowSet<Row>> executing) {
        return Uni.createFrom().completionStage(() -> cancels.cancel(PgConnection.cast(connection).getDelegate()).toCompletionStage())
                .onFailure().recoverWithNull()
                .chain(() -> executing.replaceWithVoid().onFailure().recoverWithNull()
                        .ifNoItem().after(CANCEL_AGAIN_AFTER).recoverWithUni(() -> cancelUntilEnded(executing)));
    }

    /** Marks the session ended; true when it is open, so that the caller closes it. */
    private synchronized boolean end() {
        ended = true;
        return connection != null;
    }

    private synchronized boolean isEnded() {
        return ended;
    }

    private synchronized boolean isOpen() {
        return connection != null;
    }

    private Uni<Void> closeCursor() {
        Uni<Void> closed = cursor == null ? Uni.createFrom().voidItem() : cursor.close().onFailure().recoverWithNull();
        return closed.chain(() -> statement.close().onFailure().recoverWithNull());
    }

    private static Uni<Void> rollback(SqlConnection connection) {
        return connection.query("ROLLBACK").execute().replaceWithVoid().onFailure().recoverWithNull();
    }
}
