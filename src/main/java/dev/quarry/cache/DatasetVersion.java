package dev.quarry.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Singleton;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/**
 * The version of the published dataset, read from the database for every request that may be
 * answered from the cache: {@code load} publishes a new dataset and its {@code loaded_at} in one
 * transaction, so an answer keyed on the old version is never served again, on any replica, from
 * the moment the publish commits. Requests that arrive while a read is running share it, so a
 * crowd of cache hits costs one cheap read at a time, not one each.
 *
 * <p>Each caller gets a copy of the shared read, never the read itself: a caller may cancel what it
 * was given (Mutiny's {@code Uni.createFrom().completionStage} cancels its stage when its subscriber
 * goes away, as a stream's does when its client leaves), and cancelling the read itself would fail
 * every other request waiting for it, on any template.
 */
@Singleton
public class DatasetVersion {

    /** No dataset table (templates over tables of one's own): one version for as long as that lasts. */
    static final String NONE = "none";
    // one line, a probe: the published scale and the time of its publish transaction
    private static final String READ = "SELECT scale || '@' || loaded_at FROM quarry_dataset WHERE name = 'tpch'";
    private static final String UNDEFINED_TABLE = "42P01";

    private final Pool pool;
    private final AtomicReference<CompletableFuture<String>> reading = new AtomicReference<>();

    DatasetVersion(Pool pool) {
        this.pool = pool;
    }

    public CompletionStage<String> current() {
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> running = reading.compareAndExchange(null, mine);
        if (running != null) {
            return running.copy();
        }
        // on the Vert.x pool itself: a read this small should not pay for Mutiny's context propagation
        pool.getDelegate().query(READ).execute().onComplete(result -> {
            reading.compareAndSet(mine, null);
            if (result.succeeded()) {
                mine.complete(version(result.result()));
            } else if (result.cause() instanceof PgException e && UNDEFINED_TABLE.equals(e.getSqlState())) {
                mine.complete(NONE);
            } else {
                mine.completeExceptionally(result.cause());
            }
        });
        return mine.copy();
    }

    private static String version(RowSet<Row> rows) {
        return rows.size() == 0 ? NONE : rows.iterator().next().getString(0);
    }
}
