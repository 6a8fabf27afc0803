package dev.quarry.execute;

import java.util.concurrent.CancellationException;

import io.vertx.pgclient.PgException;

/**
 * What the caller of a failed query is told: the status of the answer, its title and a detail a
 * person can act on. One mapping for a request's problem and a template test's failure, so that a
 * case reports what a request would get.
 *
 * @param unexpected whether nothing but the exception itself explains the failure (no failure of PostgreSQL's
 *                   nor of the way to it): a fault of the server, whose details belong in the log
 */
public record QueryProblem(int status, String title, String detail, boolean unexpected) {

    /** The problem for a failure in PostgreSQL or on the way to it. */
    public static QueryProblem of(Throwable e) {
        if (cancelled(e)) {
            // work cancelled because its client left: routine, and nobody is left to read this answer
            return new QueryProblem(503, "Request cancelled",
                    "the work this request waited for was cancelled before it answered; try again",
                    false);
        }
        return switch (QueryFailure.of(e)) {
            case TIMEOUT -> new QueryProblem(504, "Query timed out",
                    "the query ran past its statement timeout and PostgreSQL stopped it; narrow it with parameters or filters, "
                            + "or raise the template's @timeout",
                    false);
            case UNAVAILABLE -> new QueryProblem(503, "Database unavailable",
                    "PostgreSQL cannot be reached (" + e.getMessage() + "); try again shortly", false);
            case QUEUE_FULL -> busy("the queue of requests waiting for one is full (quarry.pool.max-wait-queue)");
            case WAITED_TOO_LONG -> busy("this request waited for one past the wait timeout (quarry.pool.wait-timeout)");
            case ERROR -> e instanceof PgException pg
                    ? new QueryProblem(500, "Query failed in PostgreSQL", pg.getErrorMessage() + " (SQLSTATE " + pg.getSqlState()
                            + ")", false)
                    : new QueryProblem(500, "Internal error", "the server failed unexpectedly; the log has the details", true);
        };
    }

    private static boolean cancelled(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CancellationException) {
                return true;
            }
        }
        return false;
    }

    private static QueryProblem busy(String reason) {
        return new QueryProblem(503, "Server busy", "every connection of this server to PostgreSQL is in use and " + reason
                + "; try again shortly", false);
    }
}
