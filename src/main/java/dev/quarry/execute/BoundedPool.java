package dev.quarry.execute;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;

/**
 * The reactive pool with a bounded wait: Quarkus configures its size but not its wait queue, which
 * Vert.x leaves unbounded, nor how long a request waits for a connection (30 s by default). Past
 * either bound the request fails at once ({@link QueryFailure#QUEUE_FULL}, {@link QueryFailure#WAITED_TOO_LONG}) instead of queueing.
 */
@Singleton
public class BoundedPool implements PgPoolCreator {

    private final int maxWaitQueue;
    private final Duration waitTimeout;

    BoundedPool(@ConfigProperty(name = "quarry.pool.max-wait-queue", defaultValue = "100") int maxWaitQueue,
            @ConfigProperty(name = "quarry.pool.wait-timeout", defaultValue = "5s") Duration waitTimeout) {
        this.maxWaitQueue = maxWaitQueue;
        this.waitTimeout = waitTimeout;
    }

    @Override
    public Pool create(Input input) {
        input.poolOptions()
                .setMaxWaitQueueSize(maxWaitQueue)
                .setConnectionTimeout(Math.toIntExact(waitTimeout.toMillis()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        // what Quarkus does itself when no creator is present, with the options above
        return PgDriver.INSTANCE.createPool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }
}
