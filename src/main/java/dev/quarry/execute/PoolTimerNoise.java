package dev.quarry.execute;

import java.util.Arrays;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops the one log record of a known bug in the Vert.x SQL client's pool (vertx-sql-client#1706):
 * when acquiring a connection fails (the database is down), the pool does not cancel the request's
 * wait timer, which fires later and fails the already failed request again. Vert.x reports that as
 * an uncaught {@code IllegalStateException: Result is already complete} with its stack trace, one
 * for every request of an outage; the request itself was answered (503) and nothing else is amiss.
 * Every other uncaught exception is still logged. Linked to the log handlers in application.properties.
 */
@LoggingFilter(name = PoolTimerNoise.NAME)
public final class PoolTimerNoise implements Filter {

    static final String NAME = "vertx-pool-timer-noise";
    private static final String REPORTER = "io.quarkus.vertx.core.runtime.VertxCoreRecorder";
    private static final String POOL = "io.vertx.sqlclient.impl.pool.SqlConnectionPool";

    @Override
    public boolean isLoggable(LogRecord record) {
        return !(REPORTER.equals(record.getLoggerName()) && record.getThrown() instanceof IllegalStateException failure
                && "Result is already complete".equals(failure.getMessage())
                && Arrays.stream(failure.getStackTrace()).anyMatch(frame -> frame.getClassName().equals(POOL)));
    }
}
