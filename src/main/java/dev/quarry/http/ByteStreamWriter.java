package dev.quarry.http;

import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerHttpResponse;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import dev.quarry.encode.MediaTypes;

/**
 * Writes a {@link ByteStream} to the response as its buffers come, chunked, and ends it. Up to
 * {@link #AHEAD} buffers are asked for beyond those written, so the next batch is read from
 * PostgreSQL while this one goes to the socket; a slow client slows the reading down. A client
 * that hangs up cancels the stream (and so the query); a failure after the first bytes cuts the
 * response short without its last chunk, so the client sees it incomplete, and one before them is
 * answered as a problem with its own status.
 */
@Provider
@Produces({ MediaType.SERVER_SENT_EVENTS, MediaTypes.NDJSON, MediaTypes.CSV, MediaTypes.ARROW })
public class ByteStreamWriter implements ServerMessageBodyWriter<ByteStream> {

    static final int AHEAD = 2;

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
        return type == ByteStream.class;
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == ByteStream.class;
    }

    @Override
    public void writeResponse(ByteStream stream, Type genericType, ServerRequestContext context) {
        ServerHttpResponse response = context.serverResponse();
        response.setChunked(true);
        stream.buffers().subscribe(new Sending(response, (ResteasyReactiveRequestContext) context, stream.source()));
    }

    /** Only for a writer interceptor's output stream, which this service has none of: that would block the event loop. */
    @Override
    public void writeTo(ByteStream stream, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> headers, OutputStream out) {
        throw new IllegalStateException("a ByteStream is written asynchronously, not to an output stream");
    }

    private static final class Sending implements Flow.Subscriber<byte[]> {

        private final ServerHttpResponse response;
        private final ResteasyReactiveRequestContext request;
        private final Supplier<String> source;
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile Flow.Subscription subscription;

        Sending(ServerHttpResponse response, ResteasyReactiveRequestContext request, Supplier<String> source) {
            this.response = response;
            this.request = request;
            this.source = source;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            response.addCloseHandler(this::cancel);
            subscription.request(AHEAD);
        }

        @Override
        public void onNext(byte[] buffer) {
            sourceHeader();
            response.write(buffer).whenComplete((written, failure) -> {
                if (failure == null) {
                    subscription.request(1);
                } else {
                    cancel();
                }
            });
        }

        @Override
        public void onError(Throwable failure) {
            if (over.compareAndSet(false, true)) {
                if (response.headWritten()) {
                    response.reset();
                } else {
                    // refused before the first byte (over budget or quota, say): the whole problem, with its status
                    Response problem = Problems.beforeFirstByte(failure, request.getPath());
                    request.setResponseContentType(problem.getMediaType());
                    response.setStatusCode(problem.getStatus());
                    problem.getStringHeaders().forEach((name, values) -> response.setResponseHeader(name, values.get(0)));
                    response.end((String) problem.getEntity());
                }
            }
        }

        @Override
        public void onComplete() {
            if (over.compareAndSet(false, true)) {
                sourceHeader();
                response.end();
            }
        }

        /** Before the head is written: where the rows are read from is known once the stream has been built. */
        private void sourceHeader() {
            if (!response.headWritten()) {
                String where = source.get();
                if (where != null) {
                    response.setResponseHeader(AnswerHeaders.SOURCE, where);
                }
            }
        }

        private void cancel() {
            if (over.compareAndSet(false, true)) {
                subscription.cancel();
            }
        }
    }
}
