package dev.quarry.http;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * Tokens for the authentication tests, signed with an RSA key pair made when the tests run (no key
 * is in the repository). The pair is kept in system properties because the test profile and the
 * test itself may be loaded by different class loaders and must agree on it.
 */
public final class TestTokens {

    static final String ISSUER = "quarry-test-issuer";
    private static final String PRIVATE = "quarry.test.jwt.private-key";
    private static final String PUBLIC = "quarry.test.jwt.public-key";

    private TestTokens() {
    }

    /** The configuration that switches authentication on and verifies this class's tokens. */
    public static Map<String, String> authenticationOn() {
        keys();
        return Map.of("quarry.auth.enabled", "true",
                "mp.jwt.verify.publickey", System.getProperty(PUBLIC),
                "mp.jwt.verify.issuer", ISSUER);
    }

    /** A valid token for the subject, with these groups, for the next five minutes. */
    public static String valid(String... groups) {
        return validFor("tester", groups);
    }

    /** A valid token for another subject, with these groups, for the next five minutes. */
    public static String validFor(String subject, String... groups) {
        return token(ISSUER, subject, Instant.now().plusSeconds(300), privateKey(), groups);
    }

    /** A valid token that also carries this claim, as a tenant's token does ({@code value} as its JSON type). */
    public static String withClaim(String claim, Object value, String... groups) {
        return Jwt.issuer(ISSUER).subject("tenant-tester").groups(Set.of(groups)).claim(claim, value)
                .issuedAt(Instant.now().minusSeconds(600)).expiresAt(Instant.now().plusSeconds(3600))
                .jws().sign(privateKey());
    }

    static String expired(String... groups) {
        return token(ISSUER, "tester", Instant.now().minusSeconds(600), privateKey(), groups);
    }

    static String fromAnotherIssuer(String... groups) {
        return token("another-issuer", "tester", Instant.now().plusSeconds(300), privateKey(), groups);
    }

    /** Well formed and unexpired, but signed by a key the service does not know. */
    static String signedByAnotherKey(String... groups) {
        return token(ISSUER, "tester", Instant.now().plusSeconds(300), generate().getPrivate(), groups);
    }

    private static String token(String issuer, String subject, Instant expires, PrivateKey key, String... groups) {
        return Jwt.issuer(issuer).subject(subject).groups(Set.of(groups))
                .issuedAt(expires.minusSeconds(900)).expiresAt(expires)
                .jws().sign(key);
    }

    private static synchronized void keys() {
        if (System.getProperty(PRIVATE) == null) {
            KeyPair pair = generate();
            System.setProperty(PRIVATE, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
            System.setProperty(PUBLIC, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
        }
    }

    private static PrivateKey privateKey() {
        keys();
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(System.getProperty(PRIVATE))));
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
