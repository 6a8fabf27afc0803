package dev.quarry.serve;

import java.util.concurrent.CancellationException;

import dev.quarry.execute.QueryFailure;

/** How a query ended, as its meters tag it. */
public enum Outcome {
    OK("ok"), CLIENT_ERROR("client_error"), TIMEOUT("timeout"), CANCELLED("cancelled"), ERROR("error");

    private final String tag;

    Outcome(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /** The outcome of a query that failed: a stream ended by the shutdown, or work cancelled, counts as cancelled. */
    public static Outcome of(Throwable failure) {
        if (failure instanceof ShuttingDownException || failure instanceof CancellationException) {
            return CANCELLED;
        }
        return QueryFailure.of(failure) == QueryFailure.TIMEOUT ? TIMEOUT : ERROR;
    }
}
