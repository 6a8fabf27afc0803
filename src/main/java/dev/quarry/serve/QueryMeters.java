package dev.quarry.serve;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.inject.Singleton;

import dev.quarry.encode.Format;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Every query's duration by template, format and outcome, the rows it returned and the time to its
 * first row, with percentile histograms so Prometheus can compute p99 across replicas.
 */
@Singleton
public class QueryMeters {

    private final MeterRegistry registry;
    // Registering looks the meter up by an Id built, sorted and hashed anew each time: a few percent
    // of a point lookup's CPU. The meters are kept here by their tags instead, looked up once.
    private final ConcurrentMap<Tags, Timer> queryTimers = new ConcurrentHashMap<>();
    private final ConcurrentMap<Tags, Counter> rowCounters = new ConcurrentHashMap<>();
    private final ConcurrentMap<Tags, Timer> firstRowTimers = new ConcurrentHashMap<>();
    private final ConcurrentMap<List<String>, Counter> refusals = new ConcurrentHashMap<>();

    private record Tags(String template, Format format, Outcome outcome) {
    }

    QueryMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void query(String template, Format format, Outcome outcome, Duration elapsed) {
        queryTimers.computeIfAbsent(new Tags(template, format, outcome), tags -> Timer.builder("quarry.query")
                .description("Time from request to last row of a template's query")
                .tags("template", template, "format", format.tag(), "outcome", outcome.tag())
                .publishPercentileHistogram()
                .register(registry))
                .record(elapsed);
    }

    void rows(String template, Format format, long rows) {
        rowCounters.computeIfAbsent(new Tags(template, format, null), tags -> Counter.builder("quarry.query.rows")
                .description("Rows returned by a template's queries")
                .tags("template", template, "format", format.tag())
                .register(registry))
                .increment(rows);
    }

    /** A request refused before it ran: over its budget, its budget unchecked, or its caller over quota. */
    void refused(String template, String reason) {
        refusals.computeIfAbsent(List.of(template, reason), tags -> Counter.builder("quarry.query.refused")
                .description("Requests refused before they ran, by template and reason")
                .tags("template", template, "reason", reason)
                .register(registry))
                .increment();
    }

    void firstRow(String template, Format format, Duration elapsed) {
        firstRowTimers.computeIfAbsent(new Tags(template, format, null), tags -> Timer.builder("quarry.query.first.row")
                .description("Time from request to the first row of a template's query")
                .tags("template", template, "format", format.tag())
                .publishPercentileHistogram()
                .register(registry))
                .record(elapsed);
    }
}
