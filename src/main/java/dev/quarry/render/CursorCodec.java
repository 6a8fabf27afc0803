package dev.quarry.render;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Keyset cursors as opaque tokens: the ordering columns' values of a row, as text, signed with
 * HMAC-SHA256 over the values, the template and the ordering, so a token is good only for the
 * query that made it and a tampered one is refused.
 */
public final class CursorCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    public CursorCodec(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** @param values each ordering column's value as text (ISO dates, exact decimals), or null */
    public String encode(String template, String ordering, List<String> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        byte[] payload = array.toString().getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(template, ordering, payload));
    }

    /** The values in a token; an {@link IllegalArgumentException} when it is malformed, tampered or from another query. */
    public List<String> decode(String template, String ordering, String token) {
        int dot = token.indexOf('.');
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODER.decode(token.substring(0, Math.max(dot, 0)));
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a cursor this service issued");
        }
        if (dot < 0 || !MessageDigest.isEqual(signature, mac(template, ordering, payload))) {
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

    private byte[] mac(String template, String ordering, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((template + "\n" + ordering + "\n").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
