package dev.quarry.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.quarry.encode.ResultDocuments;
import dev.quarry.encode.RowCursor;
import dev.quarry.encode.RowEncoder;
import dev.quarry.encode.SseFrames;
import dev.quarry.execute.Catalog;
import dev.quarry.execute.CheckedTemplate;
import dev.quarry.execute.QueryExecutor;
import dev.quarry.execute.QueryMetrics;
import dev.quarry.render.CursorCodec;
import dev.quarry.render.QueryRenderer;
import dev.quarry.render.QueryRequest;
import dev.quarry.render.RenderedQuery;
import dev.quarry.render.RequestParser;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.sqlclient.Row;

/**
 * {@code GET /queries/{name}}: runs a template. The representation follows the Accept header: a
 * JSON page, or a stream as Server-Sent Events, NDJSON or CSV. Every parameter is checked before
 * the method returns, so a bad one is a 400 and never a half-open stream.
 */
@Path("/queries")
public class QueryResource {

    public static final String NDJSON = "application/x-ndjson";
    public static final String CSV = "text/csv";
    static final int DEFAULT_PAGE_SIZE = 100;

    private final Catalog catalog;
    private final QueryExecutor executor;
    private final QueryMetrics metrics;
    private final Duration heartbeat;
    private final CursorCodec cursors;
    private final OpenStreams streams;

    QueryResource(Catalog catalog, QueryExecutor executor, QueryMetrics metrics, CursorCodec cursors, OpenStreams streams,
            @ConfigProperty(name = "quarry.stream.heartbeat", defaultValue = "15s") Duration heartbeat) {
        this.catalog = catalog;
        this.executor = executor;
        this.metrics = metrics;
        this.cursors = cursors;
        this.streams = streams;
        this.heartbeat = heartbeat;
    }

    @GET
    @Path("{name: .+}")
    @Operation(hidden = true) // each template is documented as an operation of its own
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> page(@PathParam("name") String name, @Context UriInfo uri) {
        Run run = prepare(name, uri, "json", OptionalInt.of(DEFAULT_PAGE_SIZE), Optional.empty());
        QueryRequest request = run.request();
        if (request.explain()) {
            return explain(run);
        }
        List<RenderedQuery> queries = new ArrayList<>(List.of(QueryRenderer.renderPage(run.template(), request)));
        switch (request.count()) {
            case EXACT -> queries.add(QueryRenderer.renderCount(run.template(), request));
            case PLANNED -> queries.add(Explain.of(QueryRenderer.renderFiltered(run.template(), request)));
            case NONE -> { }
        }
        return executor.fetch(queries, run.timeout())
                .map(results -> {
                    List<Row> rows = new ArrayList<>(results.get(0).size());
                    results.get(0).forEach(rows::add);
                    int limit = request.limit().orElse(Integer.MAX_VALUE);
                    String next = null;
                    if (rows.size() > limit) {
                        rows = rows.subList(0, limit);
                        next = request.keyed() ? new RowCursor(cursors, name, request).after(rows.get(limit - 1)) : null;
                    }
                    Long total = switch (request.count()) {
                        case EXACT -> results.get(1).iterator().next().getLong(0);
                        case PLANNED -> Explain.plannedRows(results.get(1));
                        case NONE -> null;
                    };
                    run.finished(rows.size(), null);
                    byte[] page = ResultDocuments.page(name, run.encoder(), rows, request.limit(), next, total);
                    return Response.ok(page, MediaType.APPLICATION_JSON).build();
                })
                .onFailure(failure -> run.finished(0, failure))
                .toCompletionStage();
    }

    /** {@code _explain=true}: the final SQL, its bound values and PostgreSQL's plan, without running it. */
    private CompletionStage<Response> explain(Run run) {
        RenderedQuery query = QueryRenderer.renderPage(run.template(), run.request());
        return executor.fetch(Explain.of(query), run.timeout())
                .map(plan -> Response.ok(ResultDocuments.explain(query.sql(), query.values(), plan.iterator().next().getValue(0)),
                        MediaType.APPLICATION_JSON).build())
                .toCompletionStage();
    }

    @GET
    @Path("{name: .+}")
    @Operation(hidden = true) // each template is documented as an operation of its own
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public ByteStream events(@PathParam("name") String name, @Context UriInfo uri,
            @HeaderParam("Last-Event-ID") String lastEventId) {
        Run run = prepare(name, uri, "sse", OptionalInt.empty(), Optional.ofNullable(lastEventId).filter(id -> !id.isBlank()));
        String path = uri.getPath();
        // a keyed stream's row ids are cursors, so a reconnecting EventSource resumes after the last row it saw
        AtomicLong ordinal = new AtomicLong();
        Function<Row, String> rowId = run.request().keyed() ? new RowCursor(cursors, name, run.request())::after
                : row -> Long.toString(ordinal.incrementAndGet());
        AtomicLong lastSent = new AtomicLong(System.nanoTime());
        byte[] endOfStream = new byte[0]; // a marker, never sent
        // one buffer of row events per batch the cursor read, as for NDJSON
        Multi<byte[]> events = Multi.createBy().concatenating().streams(
                Multi.createFrom().item(() -> SseFrames.event("meta", ResultDocuments.meta(name, run.encoder()))),
                run.batches(executor).map(batch -> run.encoder().events(batch, rowId)),
                Multi.createFrom().item(() -> SseFrames.event("end", ResultDocuments.end(run.rows(), run.elapsedMillis()))))
                .onFailure().recoverWithItem(failure -> SseFrames.event("error",
                        Problems.json(Problems.forFailure(failure, path)).getBytes(StandardCharsets.UTF_8)))
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
        return new ByteStream(run.held(Multi.createBy().merging().streams(events, heartbeats)
                .select().first(buffer -> buffer != endOfStream)));
    }

    @GET
    @Path("{name: .+}")
    @Operation(hidden = true) // each template is documented as an operation of its own
    @Produces(NDJSON)
    public ByteStream ndjson(@PathParam("name") String name, @Context UriInfo uri) {
        Run run = prepare(name, uri, "ndjson", OptionalInt.empty(), Optional.empty());
        String path = uri.getPath();
        // one buffer per batch the cursor read: a write per row cost more than encoding the row
        return new ByteStream(run.held(run.batches(executor).map(batch -> run.encoder().jsonLines(batch))
                .onFailure().recoverWithItem(failure -> ("{\"error\":" + Problems.json(Problems.forFailure(failure, path)) + "}\n")
                        .getBytes(StandardCharsets.UTF_8))));
    }

    @GET
    @Path("{name: .+}")
    @Operation(hidden = true) // each template is documented as an operation of its own
    @Produces(CSV)
    public ByteStream csv(@PathParam("name") String name, @Context UriInfo uri) {
        Run run = prepare(name, uri, "csv", OptionalInt.empty(), Optional.empty());
        // a failure after the header cannot be told in CSV: the response is cut short without its last chunk
        return new ByteStream(run.held(Multi.createBy().concatenating().streams(
                Multi.createFrom().item(() -> run.encoder().csvHeader().getBytes(StandardCharsets.UTF_8)),
                // one buffer per batch the cursor read, as for NDJSON
                run.batches(executor).map(batch -> run.encoder().csv(batch)))));
    }

    private Run prepare(String name, UriInfo uri, String format, OptionalInt defaultLimit, Optional<String> lastEventId) {
        CheckedTemplate checked = catalog.find(name).orElseThrow(() -> new UnknownQueryException(name));
        if (checked.broken().isPresent()) {
            throw new BrokenQueryException(name, checked.broken().get());
        }
        QueryRequest request;
        try {
            request = RequestParser.parse(checked.template(), checked.columns(), uri.getQueryParameters(), defaultLimit,
                    cursors, lastEventId);
        } catch (RuntimeException e) {
            metrics.query(name, format, QueryMetrics.CLIENT_ERROR, Duration.ZERO);
            throw e;
        }
        Duration timeout = checked.template().timeout().orElse(executor.defaultTimeout());
        // last, once nothing else can refuse the request: the place is freed only when the response ends
        OpenStreams.Place place = format.equals("json") ? null : streams.open();
        return new Run(checked.template(), format, request, new RowEncoder(request.columns()), timeout, metrics, place);
    }
}
