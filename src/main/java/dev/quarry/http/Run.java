package dev.quarry.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.quarry.encode.RowEncoder;
import dev.quarry.execute.QueryExecutor;
import dev.quarry.execute.QueryMetrics;
import dev.quarry.render.QueryRequest;
import dev.quarry.render.QueryRenderer;
import dev.quarry.template.Template;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/** One request's query from start to finish: what it runs, how it encodes, and what it measured. */
final class Run {

    private final Template template;
    private final String format;
    private final QueryRequest request;
    private final RowEncoder encoder;
    private final Duration timeout;
    private final QueryMetrics metrics;
    private final OpenStreams.Place place;
    private final long started = System.nanoTime();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicBoolean finished = new AtomicBoolean();

    /** @param place the stream's place among those in flight; null for a page */
    Run(Template template, String format, QueryRequest request, RowEncoder encoder, Duration timeout, QueryMetrics metrics,
            OpenStreams.Place place) {
        this.template = template;
        this.format = format;
        this.request = request;
        this.encoder = encoder;
        this.timeout = timeout;
        this.metrics = metrics;
        this.place = place;
    }

    Template template() {
        return template;
    }

    QueryRequest request() {
        return request;
    }

    RowEncoder encoder() {
        return encoder;
    }

    Duration timeout() {
        return timeout;
    }

    long rows() {
        return rows.get();
    }

    long elapsedMillis() {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    /** The streamed rows in the cursor's batches, none empty, counted and timed. */
    Multi<RowSet<Row>> batches(QueryExecutor executor) {
        return measured(executor.stream(QueryRenderer.render(template, request), timeout, place.stopped()).select().where(batch -> batch.size() > 0)
                .invoke(batch -> counted(batch.size())));
    }

    /** A stream's whole response, which keeps its place among the streams in flight until it ends. */
    <T> Multi<T> held(Multi<T> response) {
        return place.held(response);
    }

    private void counted(int count) {
        if (rows.getAndAdd(count) == 0) {
            metrics.firstRow(template.name(), format, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private <T> Multi<T> measured(Multi<T> items) {
        return items.onTermination().invoke((failure, cancelled) -> {
            if (cancelled) {
                record(QueryMetrics.CANCELLED);
            } else {
                finished(rows.get(), failure);
            }
        });
    }

    /** Records a page's or a stream's end: its rows, and its outcome from the failure if there was one. */
    void finished(long count, Throwable failure) {
        if (failure == null) {
            rows.set(count);
            if (count > 0 && format.equals("json")) {
                metrics.firstRow(template.name(), format, Duration.ofNanos(System.nanoTime() - started));
            }
        }
        record(failure == null ? QueryMetrics.OK
                : failure instanceof ShuttingDownException ? QueryMetrics.CANCELLED : QueryMetrics.outcome(failure));
    }

    private void record(String outcome) {
        if (finished.compareAndSet(false, true)) {
            metrics.query(template.name(), format, outcome, Duration.ofNanos(System.nanoTime() - started));
            metrics.rows(template.name(), format, rows.get());
        }
    }
}
