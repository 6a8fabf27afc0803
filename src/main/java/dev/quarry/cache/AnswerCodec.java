package dev.quarry.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Answers and keys as the shared tier stores them: an answer as its bytes with when it was read
 * (so {@code Age} is the same on every replica), its rows and its entity tag; a key as a SHA-256 of
 * everything in it, each value with its type, so that equal keys on two replicas name one entry.
 */
final class AnswerCodec {

    private static final int VERSION = 1;

    private AnswerCodec() {
    }

    static byte[] encode(Answer answer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64, answer.bytes() + 64));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            out.writeLong(answer.created().toEpochMilli());
            out.writeLong(answer.rows());
            out.writeUTF(answer.etag());
            out.writeInt(answer.chunks().size());
            for (byte[] chunk : answer.chunks()) {
                out.writeInt(chunk.length);
                out.write(chunk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The answer, or null for bytes of another format (a replica of another version wrote them): read again. */
    static Answer decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            if (in.readInt() != VERSION) {
                return null;
            }
            Instant created = Instant.ofEpochMilli(in.readLong());
            long rows = in.readLong();
            String etag = in.readUTF();
            int count = in.readInt();
            List<byte[]> chunks = new ArrayList<>(count);
            long total = 0;
            for (int i = 0; i < count; i++) {
                byte[] chunk = new byte[in.readInt()];
                in.readFully(chunk);
                chunks.add(chunk);
                total += chunk.length;
            }
            return new Answer(List.copyOf(chunks), total, rows, etag, created);
        } catch (IOException e) {
            return null;
        }
    }

    /** The key's name in the shared tier: its template (for a purge by template) and the hash of the rest. */
    static String name(String prefix, AnswerKey key) {
        MessageDigest digest = Sha256.digest();
        update(digest, key.format().tag());
        update(digest, key.dataset());
        for (AnswerKey.Statement statement : key.statements()) {
            update(digest, statement.sql());
            for (Object value : statement.values()) {
                update(digest, typed(value));
            }
        }
        return prefix + key.template() + ":" + HexFormat.of().formatHex(digest.digest());
    }

    private static String typed(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>(list.size());
            for (Object item : list) {
                String text = typed(item);
                items.add(text.length() + ":" + text);
            }
            return "list" + items;
        }
        return value.getClass().getSimpleName() + ":" + value;
    }

    /** Each part with its length first, so that no two different keys hash the same parts. */
    private static void update(MessageDigest digest, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }
}
