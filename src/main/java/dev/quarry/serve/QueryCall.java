package dev.quarry.serve;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.quarry.encode.Format;
import dev.quarry.encode.RowEncoder;
import dev.quarry.execute.CursorStreams;
import dev.quarry.execute.StatementSettings;
import dev.quarry.render.QueryRenderer;
import dev.quarry.render.QueryRequest;
import dev.quarry.render.RenderedQuery;
import dev.quarry.render.RowSource;
import dev.quarry.rollup.RollupDecision;
import dev.quarry.template.Template;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/**
 * One request's query from start to finish: the template and request it runs, how its rows encode,
 * the stream slot it holds, and the rows and outcome it is metered with when it ends.
 */
final class QueryCall {

    private final Template template;
    private final Format format;
    private final QueryRequest request;
    /** Where its rows are read from, and why not from the other rollups. */
    private final RollupDecision decision;
    /** What a stream runs, from the decided source, rendered once for its cursor; null for a page, which renders its own. */
    private final RenderedQuery statement;
    /**
     * A stream's statement over the template, its cache key whatever the source (the answer's bytes are the same from a
     * rollup), and what it runs if the rollup's table is missing; null for a page.
     */
    private final RenderedQuery templateStatement;
    private final RollupChoice rollups;
    private final CallerBudget budget;
    private final RowEncoder encoder;
    private final StatementSettings settings;
    private final QueryMeters meters;
    private final StreamSlots.Slot slot;
    private final long started = System.nanoTime();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicBoolean finished = new AtomicBoolean();

    /**
     * @param budget what PostgreSQL's estimate of the call's statements may come to, for its caller
     * @param slot   the stream's slot among those in flight; null for a page
     */
    static QueryCall of(Template template, Format format, QueryRequest request, RollupDecision decision, RollupChoice rollups,
            CallerBudget budget, StatementSettings settings, QueryMeters meters, StreamSlots.Slot slot) {
        RenderedQuery statement = format.streamed() ? QueryRenderer.render(decision.source(), request) : null;
        RenderedQuery templateStatement = statement != null && decision.rollup().isPresent() ? QueryRenderer.render(template, request)
                : statement;
        return new QueryCall(template, format, request, decision, rollups, statement, templateStatement, budget, settings, meters, slot);
    }

    private QueryCall(Template template, Format format, QueryRequest request, RollupDecision decision, RollupChoice rollups,
            RenderedQuery statement, RenderedQuery templateStatement, CallerBudget budget, StatementSettings settings, QueryMeters meters,
            StreamSlots.Slot slot) {
        this.template = template;
        this.format = format;
        this.request = request;
        this.decision = decision;
        this.rollups = rollups;
        this.statement = statement;
        this.templateStatement = templateStatement;
        this.budget = budget;
        this.encoder = new RowEncoder(request.columns());
        this.settings = settings;
        this.meters = meters;
        this.slot = slot;
    }

    /**
     * One run of the call's query, metered on its own and holding no slot of its own: the run a
     * stream reads for its request alone, or the one the result cache records for every request
     * waiting for the answer, whichever of them leaves.
     */
    QueryCall again() {
        return new QueryCall(template, format, request, decision, rollups, statement, templateStatement, budget, settings, meters, slot);
    }

    Format format() {
        return format;
    }

    Template template() {
        return template;
    }

    CallerBudget budget() {
        return budget;
    }

    /** Where the call's rows are read from. */
    RowSource source() {
        return decision.source();
    }

    RollupDecision decision() {
        return decision;
    }

    /** Whether a failure of the call's statements was its rollup's table missing, which the template then answers. */
    boolean rollupLost(Throwable failure) {
        return rollups.lost(decision, failure);
    }

    QueryRequest request() {
        return request;
    }

    /** The statement a stream runs, over its source: what its budget bounds. */
    RenderedQuery statement() {
        return statement;
    }

    /** The key a stream's answer is kept under: its statement over the template, whatever it is read from. */
    RenderedQuery cacheKey() {
        return templateStatement;
    }

    RowEncoder encoder() {
        return encoder;
    }

    StatementSettings settings() {
        return settings;
    }

    long rows() {
        return rows.get();
    }

    long elapsedMillis() {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    /** The streamed rows in the cursor's batches, none empty, counted and timed. */
    Multi<RowSet<Row>> batches(CursorStreams cursors) {
        Multi<RowSet<Row>> rows = cursors.stream(statement, settings, slot.stopped())
                .onFailure(this::rollupLost).recoverWithMulti(() -> cursors.stream(templateStatement, settings, slot.stopped()));
        return metered(rows.select().where(batch -> batch.size() > 0)
                .invoke(batch -> counted(batch.size())));
    }

    /** A stream's whole response, which keeps its slot among the streams in flight until it ends. */
    <T> Multi<T> held(Multi<T> response) {
        return slot.held(response);
    }

    private void counted(int count) {
        if (rows.getAndAdd(count) == 0) {
            meters.firstRow(template.name(), format, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private <T> Multi<T> metered(Multi<T> items) {
        return items.onTermination().invoke((failure, cancelled) -> {
            if (cancelled) {
                record(Outcome.CANCELLED);
            } else {
                finished(rows.get(), failure);
            }
        });
    }

    /** Records a page's or a stream's end: its rows, and its outcome from the failure if there was one. */
    void finished(long count, Throwable failure) {
        if (failure == null) {
            rows.set(count);
            if (count > 0 && !format.streamed()) {
                meters.firstRow(template.name(), format, Duration.ofNanos(System.nanoTime() - started));
            }
        }
        record(failure == null ? Outcome.OK : Outcome.of(failure));
    }

    private void record(Outcome outcome) {
        if (finished.compareAndSet(false, true)) {
            meters.query(template.name(), format, outcome, Duration.ofNanos(System.nanoTime() - started));
            meters.rows(template.name(), format, rows.get());
        }
    }
}
