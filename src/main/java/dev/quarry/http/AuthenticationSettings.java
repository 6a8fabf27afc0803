package dev.quarry.http;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.value.registry.ValueRegistry;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;

/**
 * Whether requests need a bearer token ({@code quarry.auth.enabled}, off by default for the local
 * run), and the startup checks and log line that go with it: switched on without a key or an
 * issuer to verify tokens against, startup stops; switched off, the log says so once.
 */
@Singleton
public class AuthenticationSettings {

    static final String ENABLED = "quarry.auth.enabled";

    private static final Logger LOG = Logger.getLogger(AuthenticationSettings.class);

    private final boolean enabled;

    AuthenticationSettings(@ConfigProperty(name = ENABLED, defaultValue = "false") boolean enabled) {
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    void check(@Observes StartupEvent event, Config config) {
        if (!enabled) {
            return;
        }
        boolean key = config.getOptionalValue("mp.jwt.verify.publickey", String.class).isPresent()
                || config.getOptionalValue("mp.jwt.verify.publickey.location", String.class).isPresent();
        String issuer = config.getOptionalValue("mp.jwt.verify.issuer", String.class).orElse(null);
        if (!key || issuer == null) {
            throw new ConfigurationException("quarry.auth.enabled is true but tokens cannot be verified: set "
                    + (key ? "" : "MP_JWT_VERIFY_PUBLICKEY (a PEM public key) or MP_JWT_VERIFY_PUBLICKEY_LOCATION"
                            + (issuer == null ? ", and " : ""))
                    + (issuer == null ? "MP_JWT_VERIFY_ISSUER (the iss claim tokens must carry)" : ""));
        }
        LOG.infof("authentication is on: /queries needs a bearer JWT from issuer %s; a template's @roles are checked "
                + "against the token's groups", issuer);
    }

    void announce(@ObservesAsync HttpServerStart started, ValueRegistry values) {
        if (!enabled) {
            LOG.warnf("authentication is off: every query is open to anyone who can reach port %d "
                    + "(set QUARRY_AUTH_ENABLED=true, MP_JWT_VERIFY_PUBLICKEY and MP_JWT_VERIFY_ISSUER to require tokens)",
                    values.get(HttpServer.HTTP_SERVER).getPort());
        }
    }
}
