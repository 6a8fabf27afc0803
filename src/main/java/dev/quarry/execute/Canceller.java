package dev.quarry.execute;

import jakarta.inject.Singleton;

import io.vertx.core.Future;
import io.vertx.pgclient.PgConnection;

/** Cancels what a session's backend runs now, through {@link CancelRequest}s to the server the pool connects to. */
@Singleton
public class Canceller {

    private volatile CancelRequest request;

    /** Set by the pool's creator: with several hosts the pool picks one per connection, and a cancel would not know which. */
    void target(CancelRequest request) {
        this.request = request;
    }

    /** Done once the server has acted on the cancel where it can be (see {@link CancelRequest}). */
    Future<Void> cancel(PgConnection connection) {
        CancelRequest target = request;
        return target == null ? connection.cancelRequest() : target.send(connection);
    }
}
