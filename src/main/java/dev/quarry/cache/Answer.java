package dev.quarry.cache;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A query's answer as the bytes of one representation: a JSON page is one chunk, a stream one chunk
 * per batch the cursor read.
 *
 * @param rows    the rows in it
 * @param etag    a strong entity tag, quoted, from the bytes: equal answers have equal tags on every replica
 * @param created when it was read from the database, for {@code Age}
 */
public record Answer(List<byte[]> chunks, long bytes, long rows, String etag, Instant created) {

    public static Answer of(List<byte[]> chunks, long rows) {
        long bytes = 0;
        MessageDigest digest = Sha256.digest();
        for (byte[] chunk : chunks) {
            bytes += chunk.length;
            digest.update(chunk);
        }
        return new Answer(List.copyOf(chunks), bytes, rows, Sha256.entityTag(digest), Instant.now());
    }

    /** The whole answer in one array (a JSON page's document). */
    public byte[] body() {
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        byte[] body = new byte[Math.toIntExact(bytes)];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, body, at, chunk.length);
            at += chunk.length;
        }
        return body;
    }

    public Duration age(Instant now) {
        Duration age = Duration.between(created, now);
        return age.isNegative() ? Duration.ZERO : age;
    }
}
