package dev.quarry.execute;

import java.util.concurrent.atomic.AtomicBoolean;

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
 */
final class CursorSession {

    private final SqlConnection connection;
    private final PreparedStatement statement;
    private Cursor cursor;

    private CursorSession(SqlConnection connection, PreparedStatement statement) {
        this.connection = connection;
        this.statement = statement;
    }

    /**
     * A subscriber that cancels before the session is open (a client hanging up while it waits for one
     * of the pool's connections, or during BEGIN) must not cancel the opening: the pool would still
     * hand the connection over, to nobody, and it would never go back. The opening goes on and an
     * unwanted connection or session is closed as soon as it arrives. Cancellation and the pool's
     * answer both come on the request's event loop, so the flag cannot change between its check and
     * the hand-over.
     */
    static Uni<CursorSession> open(Pool pool, String begin, RenderedQuery query) {
        return Uni.createFrom().emitter(emitter -> {
            AtomicBoolean wanted = new AtomicBoolean(true);
            emitter.onTermination(() -> wanted.set(false));
            pool.getConnection()
                    .chain(connection -> wanted.get() ? start(connection, begin, query)
                            : connection.close().replaceWith((CursorSession) null))
                    .subscribe().with(session -> {
                        if (session != null && wanted.get()) {
                            emitter.complete(session);
                        } else if (session != null) {
                            session.abort().subscribe().with(closed -> { }, failure -> { });
                        }
                    }, emitter::fail);
        });
    }

    private static Uni<CursorSession> start(SqlConnection connection, String begin, RenderedQuery query) {
        return connection.query(begin).execute()
                .chain(() -> connection.prepare(query.sql()))
                .map(statement -> new CursorSession(connection, statement))
                .onFailure().call(() -> QueryExecutor.rollback(connection).chain(connection::close));
    }

    /**
     * The rows in the batches PostgreSQL sends, {@code fetchSize} at a time; the next batch is read
     * only when the subscriber asks for it. The last batch may be empty.
     */
    Multi<RowSet<Row>> batches(int fetchSize, Tuple arguments) {
        cursor = statement.cursor(arguments);
        return Multi.createBy().repeating().uni(() -> cursor.read(fetchSize)).whilst(batch -> cursor.hasMore());
    }

    Uni<Void> complete() {
        return closeCursor()
                .chain(() -> connection.query("COMMIT").execute().replaceWithVoid().onFailure().recoverWithNull())
                .chain(connection::close);
    }

    Uni<Void> abort() {
        return closeCursor().chain(() -> QueryExecutor.rollback(connection)).chain(connection::close);
    }

    /** The statement may still be computing (an aggregate before its first row): stop it in PostgreSQL first. */
    Uni<Void> cancel() {
        return PgConnection.cast(connection).cancelRequest().onFailure().recoverWithNull()
                .chain(this::abort);
    }

    private Uni<Void> closeCursor() {
        Uni<Void> closed = cursor == null ? Uni.createFrom().voidItem() : cursor.close().onFailure().recoverWithNull();
        return closed.chain(() -> statement.close().onFailure().recoverWithNull());
    }
}
