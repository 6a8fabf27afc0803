package dev.quarry.cache;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, for an answer's entity tag and a key's name in the shared tier. */
final class Sha256 {

    // clones of one digest: looking SHA-256 up among the security providers for every answer cost more than hashing a page
    private static final MessageDigest PROTOTYPE = lookUp();

    private Sha256() {
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
