package dev.quarry.http;

import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.jboss.logging.Logger;

import io.quarkus.value.registry.ValueRegistry;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;

/** One line at startup: where the server listens, and why there ({@link DefaultListenHost}). */
@Singleton
class ListenAnnouncement {

    private static final Logger LOG = Logger.getLogger(ListenAnnouncement.class);

    void announce(@ObservesAsync HttpServerStart started, Config config, AuthenticationSettings authentication,
            ValueRegistry values) {
        ConfigValue host = config.getConfigValue(DefaultListenHost.HOST);
        int port = values.get(HttpServer.HTTP_SERVER).getPort();
        // Quarkus' own default (localhost, in dev and test runs only) sits below every source, ours included
        String setBy = DefaultListenHost.NAME.equals(host.getSourceName()) ? null
                : host.getSourceOrdinal() < DefaultListenHost.ORDINAL ? "Quarkus' default for dev and test runs"
                        : "quarkus.http.host is set";
        LOG.info(line(host.getValue(), port, setBy, authentication.enabled()));
    }

    /** {@code setBy} is null when {@link DefaultListenHost} chose the host. */
    static String line(String host, int port, String setBy, boolean authEnabled) {
        String where = "Serving HTTP on " + host + ":" + port;
        if (setBy != null) {
            return where + ": " + setBy;
        }
        return authEnabled
                ? where + " (every interface): authentication is on"
                : where + " (loopback only): authentication is off, so only this machine can query; "
                        + "set QUARKUS_HTTP_HOST=0.0.0.0 to serve other machines (better with QUARRY_AUTH_ENABLED=true)";
    }
}
