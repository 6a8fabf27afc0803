package dev.quarry.database;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The datasource settings of last resort: they point the pool at the embedded PostgreSQL server.
 * Its ordinal is below every standard source, so a {@code QUARKUS_DATASOURCE_REACTIVE_URL} (or the
 * property in any file) wins, and then {@link EmbeddedDatabase} sees that the URL came from elsewhere
 * and starts nothing.
 */
public final class EmbeddedDatabaseDefaults implements ConfigSource {

    static final String NAME = "quarry-embedded-defaults";
    static final String URL_PROPERTY = "quarkus.datasource.reactive.url";
    static final String SUPERUSER = "postgres";

    private static final Map<String, String> PROPERTIES = Map.of(
            URL_PROPERTY, "postgresql://localhost:${quarry.embedded.port}/${quarry.embedded.database}",
            "quarkus.datasource.username", SUPERUSER);

    @Override
    public Map<String, String> getProperties() {
        return PROPERTIES;
    }

    @Override
    public Set<String> getPropertyNames() {
        return PROPERTIES.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return PROPERTIES.get(propertyName);
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public int getOrdinal() {
        return 10;
    }
}
