package dev.quarry.execute;

import java.time.Duration;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Every query's duration by template, format and outcome, the rows it returned and the time to its
 * first row, with percentile histograms so Prometheus can compute p99 across replicas.
 */
@Singleton
public class QueryMetrics {

    public static final String OK = "ok";
    public static final String CLIENT_ERROR = "client_error";
    public static final String TIMEOUT = "timeout";
    public static final String CANCELLED = "cancelled";
    public static final String ERROR = "error";

    private final MeterRegistry registry;

    QueryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void query(String template, String format, String outcome, Duration elapsed) {
        Timer.builder("quarry.query")
                .description("Time from request to last row of a template's query")
                .tags("template", template, "format", format, "outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(elapsed);
    }

    public void rows(String template, String format, long rows) {
        Counter.builder("quarry.query.rows")
                .description("Rows returned by a template's queries")
                .tags("template", template, "format", format)
                .register(registry)
                .increment(rows);
    }

    public void firstRow(String template, String format, Duration elapsed) {
        Timer.builder("quarry.query.first.row")
                .description("Time from request to the first row of a template's query")
                .tags("template", template, "format", format)
                .publishPercentileHistogram()
                .register(registry)
                .record(elapsed);
    }

    /** The outcome tag for a failure. */
    public static String outcome(Throwable failure) {
        return QueryFailure.of(failure) == QueryFailure.TIMEOUT ? TIMEOUT : ERROR;
    }
}
