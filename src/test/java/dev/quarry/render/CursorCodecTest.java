package dev.quarry.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Signed keyset cursors written and read by {@link CursorCodec}. */
class CursorCodecTest {

    private static final CursorCodec CODEC = new CursorCodec("test-secret".getBytes(StandardCharsets.UTF_8));

    private static final String TEMPLATE = "tpch/q03";
    private static final String ORDERING = "-revenue,+o_orderdate,+l_orderkey,";
    private static final List<String> VALUES = Arrays.asList("1234.5600", null, "1995-03-15", "quote \" comma , é 💥 \\ ]");

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private static String refused(String template, String ordering, String token) {
        return assertThrows(IllegalArgumentException.class, () -> CODEC.decode(template, ordering, token)).getMessage();
    }

    /** The token with one character of {@code part} (0 the payload, 1 the signature) changed. */
    private static String flip(String token, int part, int index) {
        int dot = token.indexOf('.');
        int at = part == 0 ? index : dot + 1 + index;
        char replaced = token.charAt(at) == 'A' ? 'B' : 'A';
        return token.substring(0, at) + replaced + token.substring(at + 1);
    }

    @Test
    void valuesComeBackAsTheyWentIn() {
        String token = CODEC.encode(TEMPLATE, ORDERING, VALUES);
        assertEquals(VALUES, CODEC.decode(TEMPLATE, ORDERING, token));
        assertEquals(List.of(), CODEC.decode(TEMPLATE, ORDERING, CODEC.encode(TEMPLATE, ORDERING, List.of())));
        assertEquals(Arrays.asList((String) null),
                CODEC.decode(TEMPLATE, ORDERING, CODEC.encode(TEMPLATE, ORDERING, Arrays.asList((String) null))));
    }

    @Test
    void aTokenIsUrlSafeTextAndTheSameForTheSameValues() {
        String token = CODEC.encode(TEMPLATE, ORDERING, VALUES);
        assertTrue(token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), token);
        assertEquals(token, CODEC.encode(TEMPLATE, ORDERING, VALUES));
        assertNotEquals(token, CODEC.encode(TEMPLATE, ORDERING, List.of("1234.5600")));
    }

    /** Tokens issued before a release are still good after it: the payload and the tag are made as they always were. */
    @Test
    void aTokenIsTheSameAsReleasesBeforeMadeIt() {
        CursorCodec codec = new CursorCodec("a secret shared by replicas".getBytes(StandardCharsets.UTF_8));
        String issued = "WyIxOTk4LTA4LTAyIiwiNTk5OTk3NSIsbnVsbCwiw7xuw69jb2RlIFwicVwiIl0.tsbv2TCYNeT320lJhRD1wQ";
        List<String> values = Arrays.asList("1998-08-02", "5999975", null, "ünïcode \"q\"");
        assertEquals(issued, codec.encode("tpch/order", "o_orderdate DESC,o_orderkey", values));
        assertEquals(values, codec.decode("tpch/order", "o_orderdate DESC,o_orderkey", issued));
    }

    @Test
    void aTamperedPayloadIsRefused() {
        String token = CODEC.encode(TEMPLATE, ORDERING, List.of("1234.56", "1995-03-15", "7"));
        String signature = token.substring(token.indexOf('.'));
        String forged = ENCODER.encodeToString("[\"9999.99\",\"1995-03-15\",\"7\"]".getBytes(StandardCharsets.UTF_8)) + signature;
        assertEquals("is not a cursor this service issued for this query and ordering", refused(TEMPLATE, ORDERING, forged));
        for (int i = 0; i < token.indexOf('.'); i += 5) {
            String flipped = flip(token, 0, i);
            assertThrows(IllegalArgumentException.class, () -> CODEC.decode(TEMPLATE, ORDERING, flipped), flipped);
        }
        assertThrows(IllegalArgumentException.class, () -> CODEC.decode(TEMPLATE, ORDERING, signature));
    }

    @Test
    void aTamperedSignatureIsRefused() {
        String token = CODEC.encode(TEMPLATE, ORDERING, VALUES);
        int dot = token.indexOf('.');
        for (int i = 0; i < token.length() - dot - 1; i += 7) {
            String flipped = flip(token, 1, i);
            assertThrows(IllegalArgumentException.class, () -> CODEC.decode(TEMPLATE, ORDERING, flipped), flipped);
        }
        assertEquals("is not a cursor this service issued for this query and ordering",
                refused(TEMPLATE, ORDERING, token.substring(0, dot + 1) + ENCODER.encodeToString(new byte[32])));
        assertThrows(IllegalArgumentException.class, () -> CODEC.decode(TEMPLATE, ORDERING, token.substring(0, dot + 1)));
        assertThrows(IllegalArgumentException.class, () -> CODEC.decode(TEMPLATE, ORDERING, token.substring(0, token.length() - 1)));
        assertThrows(IllegalArgumentException.class, () -> CODEC.decode(TEMPLATE, ORDERING, token.substring(0, dot)));
    }

    @Test
    void aCursorOfAnotherTemplateIsRefused() {
        String token = CODEC.encode(TEMPLATE, ORDERING, VALUES);
        assertEquals("is not a cursor this service issued for this query and ordering", refused("tpch/q04", ORDERING, token));
        assertEquals("is not a cursor this service issued for this query and ordering", refused("tpch/q0", ORDERING, token));
    }

    @Test
    void aCursorOfAnotherOrderingIsRefused() {
        String token = CODEC.encode(TEMPLATE, ORDERING, VALUES);
        assertEquals("is not a cursor this service issued for this query and ordering",
                refused(TEMPLATE, "+revenue,+o_orderdate,+l_orderkey,", token));
        assertEquals("is not a cursor this service issued for this query and ordering", refused(TEMPLATE, "", token));
        // the template and the ordering are signed apart: moving text from one to the other is another query
        assertEquals("is not a cursor this service issued for this query and ordering",
                refused("tpch/q03-revenue,", "+o_orderdate,+l_orderkey,", token));
    }

    @Test
    void aCursorSignedWithAnotherSecretIsRefused() {
        String token = new CursorCodec("another-secret".getBytes(StandardCharsets.UTF_8)).encode(TEMPLATE, ORDERING, VALUES);
        assertEquals("is not a cursor this service issued for this query and ordering", refused(TEMPLATE, ORDERING, token));
    }

    @Test
    void malformedTokensAreRefused() {
        for (String token : List.of("", ".", "abc", "not a cursor", "a+b/c=.d", "!!!.###", "....", "%5B%5D.x")) {
            assertThrows(IllegalArgumentException.class, () -> CODEC.decode(TEMPLATE, ORDERING, token), token);
        }
        assertEquals("is not a cursor this service issued", refused(TEMPLATE, ORDERING, "!!!.###"));
    }
}
