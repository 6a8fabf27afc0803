package dev.quarry.render;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Keyset cursors as opaque tokens: the ordering columns' values of a row, as a JSON array of text,
 * and an HMAC-SHA256 tag over them, so a token is good only for the query that made it and a
 * tampered one is refused. The tag's key is derived from the secret, the template and the
 * ordering, so a stream signs each row with one HMAC of its few bytes of values; the tag is
 * truncated to 128 bits (RFC 2104 allows half the output), which keeps an SSE row's id short.
 */
public final class CursorCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int TAG_BYTES = 16;

    private final SecretKeySpec key;

    public CursorCodec(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** @param values each ordering column's value as text (ISO dates, exact decimals), or null */
    public String encode(String template, String ordering, List<String> values) {
        return signer(template, ordering).token(values);
    }

    /** Signs the cursors of one query and ordering; one per stream, used by one row at a time. */
    public Signer signer(String template, String ordering) {
        return new Signer(mac(template, ordering));
    }

    /** The values in a token; an {@link IllegalArgumentException} when it is malformed, tampered or from another query. */
    public List<String> decode(String template, String ordering, String token) {
        int dot = token.indexOf('.');
        byte[] payload;
        byte[] tag;
        try {
            payload = DECODER.decode(token.substring(0, Math.max(dot, 0)));
            tag = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a cursor this service issued");
        }
        if (dot < 0 || !MessageDigest.isEqual(tag, signer(template, ordering).tag(payload))) {
            throw new IllegalArgumentException("is not a cursor this service issued for this query and ordering");
        }
        try {
            JsonNode array = JSON.readTree(payload);
            List<String> values = new ArrayList<>();
            array.forEach(value -> values.add(value.isNull() ? null : value.asText()));
            return values;
        } catch (IOException e) {
            throw new IllegalArgumentException("is not a cursor this service issued");
        }
    }

    /** HMAC-SHA256 keyed with HMAC-SHA256(secret, template LF ordering): the template and the ordering stay apart. */
    private Mac mac(String template, String ordering) {
        try {
            Mac derivation = Mac.getInstance("HmacSHA256");
            derivation.init(key);
            byte[] queryKey = derivation.doFinal((template + "\n" + ordering).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(queryKey, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Tokens of one query and ordering. Not thread-safe: a stream calls it for one row after the other. */
    public static final class Signer {

        private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();
        private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

        private final Mac mac;
        private final ByteArrayBuilder payload = new ByteArrayBuilder(64);

        private Signer(Mac mac) {
            this.mac = mac;
        }

        /** {@code base64url(["value", null, ...]) "." base64url(tag)} */
        public String token(List<String> values) {
            payload.reset();
            payload.append('[');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    payload.append(',');
                }
                String value = values.get(i);
                if (value == null) {
                    payload.write(NULL);
                } else {
                    payload.append('"');
                    payload.write(QUOTE.quoteAsUTF8(value));
                    payload.append('"');
                }
            }
            payload.append(']');
            byte[] json = payload.toByteArray();
            return ENCODER.encodeToString(json) + "." + ENCODER.encodeToString(tag(json));
        }

        private byte[] tag(byte[] json) {
            return Arrays.copyOf(mac.doFinal(json), TAG_BYTES);
        }
    }
}
