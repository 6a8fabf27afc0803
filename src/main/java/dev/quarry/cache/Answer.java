package dev.quarry.cache;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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

    // a clone of one digest: looking SHA-256 up among the security providers for every answer cost more than hashing a page
    private static final MessageDigest SHA_256 = sha256Digest();

    public static Answer of(List<byte[]> chunks, long rows) {
        long bytes = 0;
        MessageDigest digest = sha256();
        for (byte[] chunk : chunks) {
            bytes += chunk.length;
            digest.update(chunk);
        }
        byte[] hash = digest.digest();
        String etag = '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 27) + '"';
        return new Answer(List.copyOf(chunks), bytes, rows, etag, Instant.now());
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

    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
