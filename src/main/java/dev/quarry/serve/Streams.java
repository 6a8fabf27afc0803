package dev.quarry.serve;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.quarry.cache.EncodedRows;
import dev.quarry.cache.StreamAnswers;
import dev.quarry.encode.ArrowStream;
import dev.quarry.encode.Format;
import dev.quarry.encode.ResultDocuments;
import dev.quarry.encode.RowEncoder;
import dev.quarry.encode.SseFrames;
import dev.quarry.execute.CursorStreams;
import dev.quarry.render.CursorCodec;
import dev.quarry.template.Template;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/**
 * A query's answer as a stream of bytes already framed for its media type, one buffer per batch the
 * cursor read (a write per row cost more than encoding the row). Each stream holds a stream slot
 * until it ends. A failure after the first bytes is told in the stream where the format can carry
 * it, as the problem the caller makes of it. A template whose answers are kept ({@code @cache}) is
 * streamed from its kept answer: recorded once, then sent from memory to every request that asks
 * for it, unless it is too large to keep. Each method tells where its rows are read from ({@code source}) before
 * the first byte, for the {@code Quarry-Source} header.
 */
@Singleton
public class Streams {

    private final QueryCalls calls;
    private final CursorStreams cursorStreams;
    private final CursorCodec cursors;
    private final Duration heartbeat;
    private final StreamAnswers answers;
    private final RequestBudgets budgets;

    Streams(QueryCalls calls, CursorStreams cursorStreams, CursorCodec cursors,
            @ConfigProperty(name = "quarry.stream.heartbeat", defaultValue = "15s") Duration heartbeat, StreamAnswers answers,
            RequestBudgets budgets) {
        this.calls = calls;
        this.cursorStreams = cursorStreams;
        this.cursors = cursors;
        this.heartbeat = heartbeat;
        this.answers = answers;
        this.budgets = budgets;
    }

    /**
     * Server-Sent Events: {@code meta} (the columns), a {@code row} per row, {@code end} (rows and
     * elapsed time) or {@code error} (the problem), and a comment after each heartbeat's time of silence.
     *
     * @param lastEventId the id of the last event a reconnecting EventSource saw: a keyed stream resumes after it
     * @param problem     the problem+json document of a failure
     */
    public Multi<byte[]> events(String name, Map<String, List<String>> parameters, Caller caller, Optional<String> lastEventId,
            Function<Throwable, byte[]> problem, Consumer<String> source) {
        QueryCall call = open(name, parameters, caller, Format.SSE, lastEventId, source);
        Multi<byte[]> rowsAndEnd = rows(call, this::rowEvents).onItem().transformToMulti(rows -> Multi.createBy().concatenating()
                .streams(rows.bytes(), Multi.createFrom()
                        .item(() -> SseFrames.event("end", ResultDocuments.end(rows.count().getAsLong(), call.elapsedMillis())))));
        AtomicLong lastSent = new AtomicLong(System.nanoTime());
        byte[] endOfStream = new byte[0]; // a marker, never sent
        Multi<byte[]> events = Multi.createBy().concatenating().streams(
                Multi.createFrom().item(() -> SseFrames.event("meta", ResultDocuments.meta(name, call.encoder()))),
                rowsAndEnd)
                .onFailure().recoverWithItem(failure -> SseFrames.event("error", problem.apply(failure)))
                .invoke(() -> lastSent.set(System.nanoTime()))
                .onCompletion().continueWith(endOfStream);
        // a comment line when nothing else was sent for a heartbeat's time, so proxies keep the connection
        byte[] heartbeatComment = SseFrames.comment("heartbeat");
        Multi<byte[]> heartbeats = Multi.createFrom().ticks().every(heartbeat.dividedBy(3))
                .onOverflow().drop()
                .filter(tick -> System.nanoTime() - lastSent.get() >= heartbeat.toNanos())
                .map(tick -> {
                    lastSent.set(System.nanoTime());
                    return heartbeatComment;
                });
        return call.held(budgets.admitted(call,
                Multi.createBy().merging().streams(events, heartbeats).select().first(buffer -> buffer != endOfStream)));
    }

    /** One JSON object per line; a failure after the first line is a last line {@code {"error": problem}}. */
    public Multi<byte[]> jsonLines(String name, Map<String, List<String>> parameters, Caller caller,
            Function<Throwable, byte[]> problem, Consumer<String> source) {
        QueryCall call = open(name, parameters, caller, Format.NDJSON, Optional.empty(), source);
        return call.held(budgets.admitted(call, bytes(call, RowEncoder::jsonLines)
                .onFailure().recoverWithItem(failure -> errorLine(problem.apply(failure)))));
    }

    /**
     * CSV with a header line, as COPY writes it, in the format's profile; a failure after the header cannot be told in CSV: the
     * response is cut short.
     */
    public Multi<byte[]> csv(String name, Map<String, List<String>> parameters, Caller caller, Format format,
            Consumer<String> source) {
        QueryCall call = open(name, parameters, caller, format, Optional.empty(), source);
        return call.held(budgets.admitted(call, Multi.createBy().concatenating().streams(
                Multi.createFrom().item(() -> call.encoder().csvHeader()),
                bytes(call, (encoder, batch) -> encoder.csv(batch, format.csvProfile())))));
    }

    /**
     * Apache Arrow's IPC stream: the schema, a record batch per batch the cursor read, the end-of-stream marker. A failure after the
     * first bytes ends it with a message cut short that holds the problem ({@link ArrowStream#broken}), which an Arrow reader reports.
     */
    public Multi<byte[]> arrow(String name, Map<String, List<String>> parameters, Caller caller,
            Function<Throwable, byte[]> problem, Consumer<String> source) {
        QueryCall call = open(name, parameters, caller, Format.ARROW, Optional.empty(), source);
        return call.held(budgets.admitted(call, rows(call, this::arrowStream).onItem().transformToMulti(EncodedRows::bytes)
                .onFailure().recoverWithItem(failure -> ArrowStream.broken(problem.apply(failure)))));
    }

    /** The stream's call (a bad request fails here, before any byte), telling where its rows are read from. */
    private QueryCall open(String name, Map<String, List<String>> parameters, Caller caller, Format format,
            Optional<String> lastEventId, Consumer<String> source) {
        QueryCall call = calls.open(name, parameters, caller, format, OptionalInt.empty(), lastEventId);
        source.accept(RollupChoice.header(call.decision(), Instant.now()));
        return call;
    }

    /** A run's rows as a whole Arrow stream, its vectors freed however it ends. */
    private Multi<byte[]> arrowStream(QueryCall run) {
        Template template = run.template();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("quarry.template", template.name());
        metadata.put("quarry.summary", template.header().summary());
        if (!template.header().description().isEmpty()) {
            metadata.put("quarry.description", template.header().description());
        }
        return Multi.createFrom().resource(() -> new ArrowStream(run.request().columns(), metadata),
                stream -> Multi.createBy().concatenating().streams(Multi.createFrom().item(stream::schema),
                        run.batches(cursorStreams).map(stream::batch), Multi.createFrom().item(ArrowStream.END)))
                .withFinalizer(ArrowStream::close);
    }

    /**
     * The call's rows, from its kept answer or from a run of its own ({@link QueryCall#again()}: the
     * run the cache records for every request waiting for the answer is metered on its own, and is
     * not this request's to stop).
     *
     * @param encoding a run's rows as bytes
     */
    private Uni<EncodedRows> rows(QueryCall call, Function<QueryCall, Multi<byte[]>> encoding) {
        return answers.stream(call.template(), call.format(), call.cacheKey(), () -> {
            QueryCall run = call.again();
            return new EncodedRows(encoding.apply(run), run::rows);
        });
    }

    /** The call's rows encoded batch by batch, wherever they come from. */
    private Multi<byte[]> bytes(QueryCall call, BiFunction<RowEncoder, RowSet<Row>, byte[]> encoding) {
        return rows(call, run -> run.batches(cursorStreams).map(batch -> encoding.apply(run.encoder(), batch)))
                .onItem().transformToMulti(EncodedRows::bytes);
    }

    /**
     * A run's rows as SSE row events. A keyed stream's row ids are cursors, so a reconnecting EventSource resumes after the last row it
     * saw.
     */
    private Multi<byte[]> rowEvents(QueryCall run) {
        AtomicLong ordinal = new AtomicLong();
        Function<Row, String> rowId = run.request().keyed() ? new RowCursor(cursors, run.template().name(), run.request())::after
                : row -> Long.toString(ordinal.incrementAndGet());
        return run.batches(cursorStreams).map(batch -> run.encoder().events(batch, rowId));
    }

    private static byte[] errorLine(byte[] problem) {
        byte[] start = "{\"error\":".getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[start.length + problem.length + 2];
        System.arraycopy(start, 0, line, 0, start.length);
        System.arraycopy(problem, 0, line, start.length, problem.length);
        line[line.length - 2] = '}';
        line[line.length - 1] = '\n';
        return line;
    }
}
