package dev.quarry.http;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import dev.quarry.encode.ArrowStream;
import dev.quarry.encode.Format;
import dev.quarry.encode.MediaTypes;
import dev.quarry.execute.Cancellation;
import dev.quarry.serve.Caller;
import dev.quarry.serve.CallerQuotas;
import dev.quarry.serve.Pages;
import dev.quarry.serve.Streams;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Multi;

/**
 * {@code GET /queries/{name}}: runs a template. The representation follows the Accept header: a
 * JSON page, or a stream as Server-Sent Events, NDJSON, CSV (exact, or {@code profile=spreadsheet}) or Arrow. Every parameter is checked
 * before
 * the method returns, so a bad one is a 400 and never a half-open stream.
 * <p>
 * Every method runs on the event loop, streams too (RESTEasy would run a method that returns no
 * Uni or CompletionStage on a worker thread): none blocks, and the stream's writer registers its
 * close handler in a list that the event loop walks when the client leaves. Registered from a
 * worker thread while a client left at that moment, it failed the walk with a
 * ConcurrentModificationException, logged as an uncaught ERROR, and could skip the stream's cancel.
 */
@NonBlocking
@Path("/queries")
public class QueryResource {

    private final Pages pages;
    private final Streams streams;
    private final AnswerHeaders headers;
    private final CallerQuotas quotas;
    private final Callers callers;

    QueryResource(Pages pages, Streams streams, AnswerHeaders headers, CallerQuotas quotas, Callers callers) {
        this.pages = pages;
        this.streams = streams;
        this.headers = headers;
        this.quotas = quotas;
        this.callers = callers;
    }

    @GET
    @Path("{name: .+}")
    @Operation(hidden = true) // each template is documented as an operation of its own
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<RestResponse<byte[]>> page(@PathParam("name") String name, @Context UriInfo uri,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Caller caller = callers.current();
        AtomicReference<String> source = new AtomicReference<>();
        Cancellation leaving = new Cancellation();
        CompletableFuture<RestResponse<byte[]>> response = quotas.page(caller, name,
                () -> pages.page(name, uri.getQueryParameters(), caller, source::set, leaving), leaving)
                .thenApply(page -> headers.respond(page, ifNoneMatch, MediaType.APPLICATION_JSON, source.get())).toCompletableFuture();
        // Quarkus REST cancels the future a method returned when its client closes the connection before the answer
        response.whenComplete((page, failure) -> {
            if (response.isCancelled()) {
                leaving.cancel();
            }
        });
        return response;
    }

    @GET
    @Path("{name: .+}")
    @Operation(hidden = true) // each template is documented as an operation of its own
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public ByteStream events(@PathParam("name") String name, @Context UriInfo uri, @HeaderParam("Last-Event-ID") String lastEventId) {
        return stream(name, (caller, source) -> streams.events(name, uri.getQueryParameters(), caller,
                Optional.ofNullable(lastEventId).filter(id -> !id.isBlank()), problem(uri), source));
    }

    @GET
    @Path("{name: .+}")
    @Operation(hidden = true) // each template is documented as an operation of its own
    @Produces(MediaTypes.NDJSON)
    public ByteStream ndjson(@PathParam("name") String name, @Context UriInfo uri) {
        return stream(name, (caller, source) -> streams.jsonLines(name, uri.getQueryParameters(), caller, problem(uri), source));
    }

    @GET
    @Path("{name: .+}")
    @Operation(hidden = true) // each template is documented as an operation of its own
    @Produces(MediaTypes.CSV)
    public ByteStream csv(@PathParam("name") String name, @Context UriInfo uri, @Context HttpHeaders request) {
        Format format = csvFormat(request);
        return stream(name, (caller, source) -> streams.csv(name, uri.getQueryParameters(), caller, format, source));
    }

    @GET
    @Path("{name: .+}")
    @Operation(hidden = true) // each template is documented as an operation of its own
    @Produces(MediaTypes.ARROW)
    public ByteStream arrow(@PathParam("name") String name, @Context UriInfo uri) {
        if (!ArrowStream.USABLE) {
            throw new WebApplicationException("this server's JVM was started without " + ArrowStream.JVM_OPTION
                    + ", which Arrow needs to reach its memory; ask for another representation, or restart it with that option", 501);
        }
        return stream(name, (caller, source) -> streams.arrow(name, uri.getQueryParameters(), caller, problem(uri), source));
    }

    /**
     * The caller's stream, built once its quota admits it: the caller (and its tenant) is read now, on
     * the request's thread, since a stream that waits is built later; where its rows come from is known
     * once built.
     *
     * @param stream the stream for the caller, telling its source
     */
    private ByteStream stream(String name, BiFunction<Caller, Consumer<String>, Multi<byte[]>> stream) {
        Caller caller = callers.current();
        AtomicReference<String> source = new AtomicReference<>();
        return new ByteStream(quotas.stream(caller, name, () -> stream.apply(caller, source::set)), source::get);
    }

    /** {@code text/csv; profile=spreadsheet} when the client accepts CSV in that profile, else COPY's exact CSV. */
    private static Format csvFormat(HttpHeaders request) {
        for (MediaType accepted : request.getAcceptableMediaTypes()) {
            if (accepted.isCompatible(MediaType.valueOf(MediaTypes.CSV))) {
                return "spreadsheet".equals(accepted.getParameters().get("profile")) ? Format.SPREADSHEET_CSV : Format.CSV;
            }
        }
        return Format.CSV;
    }

    /** A failure after a stream began, as the problem+json its last event or line carries. */
    private static Function<Throwable, byte[]> problem(UriInfo uri) {
        String path = uri.getPath();
        return failure -> Problems.json(Problems.forFailure(failure, path)).getBytes(StandardCharsets.UTF_8);
    }
}
