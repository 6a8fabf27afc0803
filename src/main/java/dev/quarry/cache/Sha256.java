package dev.quarry.cache;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** SHA-256, for an entity tag (an answer's, the explorer's files') and a key's name in the shared tier. */
public final class Sha256 {

    // clones of one digest: looking SHA-256 up among the security providers for every answer cost more than hashing a page
    private static final MessageDigest PROTOTYPE = lookUp();

    private Sha256() {
    }

    /** A strong entity tag, quoted, of bytes: equal bytes have equal tags on every replica and after every restart. */
    public static String entityTag(byte[] bytes) {
        MessageDigest digest = digest();
        digest.update(bytes);
        return entityTag(digest);
    }

    /** The entity tag of all that went into the digest. */
    static String entityTag(MessageDigest digest) {
        return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(digest.digest()).substring(0, 27) + '"';
    }

    /** A fresh digest. */
    static MessageDigest digest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
