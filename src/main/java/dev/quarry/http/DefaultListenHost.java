package dev.quarry.http;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Where the server listens when {@code quarkus.http.host} is not set: on loopback while authentication
 * is off, so a laptop run does not hand its data to the network it sits on (as Datasette and Jupyter
 * do), and on every interface once tokens guard {@code /queries}, as in the Kubernetes manifests. The
 * source's ordinal is below every standard source, so a host set anywhere wins. Dev and test runs
 * keep Quarkus' own default (localhost).
 */
public final class DefaultListenHost implements ConfigSourceFactory {

    static final String NAME = "quarry-listen-host";
    static final String HOST = "quarkus.http.host";
    static final String LOOPBACK = "127.0.0.1";
    static final String EVERY_INTERFACE = "0.0.0.0";
    static final int ORDINAL = 10;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (LaunchMode.current().isDevOrTest()) {
            return List.of();
        }
        ConfigValue auth = context.getValue(AuthenticationSettings.ENABLED);
        boolean authEnabled = auth.getValue() != null && Boolean.parseBoolean(auth.getValue().trim());
        return List.of(new MapBackedConfigSource(NAME, Map.of(HOST, hostFor(authEnabled)), ORDINAL) {
        });
    }

    static String hostFor(boolean authEnabled) {
        return authEnabled ? EVERY_INTERFACE : LOOPBACK;
    }
}
