package dev.quarry.execute;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Leaves out the SQL client's per-connection meters ({@code postgresql.queue.size}, {@code .current},
 * {@code .processing}, {@code .completed}, {@code .reset}, tagged {@code clientType=sql}). The Vert.x
 * PostgreSQL client asks for client metrics for every connection it opens, and Quarkus' binder
 * registers the same two gauges again each time (quarkusio/quarkus#47504): from the second connection
 * on, Micrometer warned that {@code postgresql.queue.size} was already registered and ignored it.
 * Nothing reads these meters: the pool's wait is {@code sql_pool_*} (one set per pool, which the
 * dashboard and alerts use) and each query's time is {@code quarry_query_seconds}.
 */
@Singleton
class SqlClientMeters {

    static final String CLIENT_TYPE = "clientType";

    @Produces
    @Singleton
    MeterFilter withoutPerConnectionClientMeters() {
        return MeterFilter.deny(id -> "sql".equals(id.getTag(CLIENT_TYPE)));
    }
}
