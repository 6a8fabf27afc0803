package dev.quarry.cache;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Leaves out the Vert.x Redis client's per-connection meters (tagged {@code clientType=redis}), as
 * {@code execute.SqlClientMeters} does the SQL client's: Quarkus' binder registers the same gauges
 * again for every connection the client opens (quarkusio/quarkus#47504), so when Redis came back after
 * an outage Micrometer warned that {@code .queue.size} (the client gives them no name of its own) was
 * already registered. Nothing reads them: what the shared tier does shows in
 * {@code quarry_cache_requests_total} and {@code quarry_query_seconds}.
 */
@Singleton
class RedisClientMeters {

    @Produces
    @Singleton
    MeterFilter withoutRedisClientMeters() {
        return MeterFilter.deny(id -> "redis".equals(id.getTag("clientType")));
    }
}
