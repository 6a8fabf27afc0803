package dev.quarry.execute;

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
 */
final class CursorSession {

    private final SqlConnection connection;
    private final PreparedStatement statement;
    private Cursor cursor;

    private CursorSession(SqlConnection connection, PreparedStatement statement) {
        this.connection = connection;
        this.statement = statement;
    }

    static Uni<CursorSession> open(Pool pool, String begin, RenderedQuery query) {
        return pool.getConnection().chain(connection -> connection.query(begin).execute()
                .chain(() -> connection.prepare(query.sql()))
                .map(statement -> new CursorSession(connection, statement))
                .onFailure().call(() -> QueryExecutor.rollback(connection).chain(connection::close)));
    }

    /**
     * The rows in the batches PostgreSQL sends, {@code fetchSize} at a time, each asked for when the
     * subscriber wants a batch. The next batch is asked for as soon as one arrives, before it is
     * handed on, so PostgreSQL produces it while this one is encoded. The last batch may be empty.
     */
    Multi<RowSet<Row>> batches(int fetchSize, Tuple arguments) {
        cursor = statement.cursor(arguments);
        AtomicReference<Uni<RowSet<Row>>> next = new AtomicReference<>(cursor.read(fetchSize));
        // whether the batch just read was not the last: once the next read is sent, hasMore() is that read's
        AtomicBoolean more = new AtomicBoolean(true);
        return Multi.createBy().repeating().uni(() -> next.get().invoke(batch -> {
                    more.set(cursor.hasMore());
                    if (more.get()) {
                        next.set(ahead(fetchSize));
                    }
                }))
                .whilst(batch -> more.get());
    }

    /** A read sent now, whose batch (or failure) waits for its subscriber; a failure nobody waits for is dropped. */
    private Uni<RowSet<Row>> ahead(int fetchSize) {
        Uni<RowSet<Row>> read = cursor.read(fetchSize).memoize().indefinitely();
        read.subscribe().with(batch -> { }, failure -> { });
        return read;
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
