package dev.quarry.http;

import java.util.function.Supplier;

import io.smallrye.mutiny.Multi;

/**
 * A response body of buffers already framed for their media type (SSE events, NDJSON lines, CSV
 * records), written each as it is by {@link ByteStreamWriter}: a batch of rows is one write, where
 * Quarkus REST's own streaming frames and writes each item apart.
 *
 * @param source where its rows are read from, for the {@code Quarry-Source} header: known once the
 *               stream is built, which a request waiting for its quota is only when its turn comes
 */
public record ByteStream(Multi<byte[]> buffers, Supplier<String> source) {
}
