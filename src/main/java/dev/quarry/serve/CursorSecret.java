package dev.quarry.serve;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.quarry.render.CursorCodec;

/** The key that signs keyset cursors: configured for replicas to share, or random for this process alone. */
public class CursorSecret {

    private static final Logger LOG = Logger.getLogger(CursorSecret.class);

    @Produces
    @Singleton
    CursorCodec cursors(@ConfigProperty(name = "quarry.cursor.secret") Optional<String> secret) {
        if (secret.isPresent()) {
            return new CursorCodec(secret.get().getBytes(StandardCharsets.UTF_8));
        }
        LOG.info("quarry.cursor.secret is not set: page cursors are signed with a random key and good for this process only");
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return new CursorCodec(random);
    }
}
