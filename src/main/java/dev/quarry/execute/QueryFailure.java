package dev.quarry.execute;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/** What went wrong with a query in PostgreSQL or on the way to it, in the terms an answer needs. */
public enum QueryFailure {
    /** The statement ran past its statement_timeout. */
    TIMEOUT,
    /** No connection could be had, or it was lost: the database is down or unreachable. */
    UNAVAILABLE,
    /** Every connection is in use and the queue of requests waiting for one is full. */
    QUEUE_FULL,
    /** Every connection is in use and the request waited for one past the wait timeout. */
    WAITED_TOO_LONG,
    /** PostgreSQL rejected or failed the statement. */
    ERROR;

    private static final String QUERY_CANCELED = "57014";
    /** What the Vert.x pool (4.5) fails an acquisition with after its connection timeout: no type of its own. */
    private static final List<String> WAIT_TIMEOUT_MESSAGES = List.of("Timeout", "Timeout waiting for connection");
    // IOException: refused, reset by a server that is shutting down or starting up, or a broken pipe when a
    // statement is written to a session the server has just closed
    private static final List<Class<? extends Throwable>> UNAVAILABILITY = List.of(IOException.class,
            ClosedConnectionException.class, TimeoutException.class);

    public static QueryFailure of(Throwable failure) {
        if (failure instanceof PgException pg) {
            String state = String.valueOf(pg.getSqlState());
            if (state.equals(QUERY_CANCELED) && String.valueOf(pg.getErrorMessage()).contains("statement timeout")) {
                return TIMEOUT;
            }
            // 08: connection exception; 57P: operator intervention (shutdown, crash recovery)
            return state.startsWith("08") || state.startsWith("57P") ? UNAVAILABLE : ERROR;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            Throwable current = cause;
            if (current instanceof ConnectionPoolTooBusyException) {
                return QUEUE_FULL;
            }
            if ((current instanceof NoStackTraceThrowable || current instanceof VertxException)
                    && WAIT_TIMEOUT_MESSAGES.contains(current.getMessage())) {
                return WAITED_TOO_LONG;
            }
            if (UNAVAILABILITY.stream().anyMatch(type -> type.isInstance(current))
                    || (current instanceof VertxException || current instanceof NoStackTraceThrowable)
                            && String.valueOf(current.getMessage()).toLowerCase(Locale.ROOT).contains("closed")) {
                return UNAVAILABLE;
            }
        }
        return ERROR;
    }
}
