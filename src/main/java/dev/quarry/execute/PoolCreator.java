package dev.quarry.execute;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;

/**
 * Creates the reactive pool as Quarry uses it.
 * <ul>
 * <li>A bounded wait: Quarkus configures the pool's size but not its wait queue, which Vert.x leaves
 * unbounded, nor how long a request waits for a connection (30 s by default). Past either bound the
 * request fails at once ({@link QueryFailure#QUEUE_FULL}, {@link QueryFailure#WAITED_TOO_LONG})
 * instead of queueing.</li>
 * <li>The {@link SessionGuard}'s settings as startup parameters of every session.</li>
 * <li>The server the pool connects to, for the {@link Canceller}.</li>
 * </ul>
 */
@Singleton
public class PoolCreator implements PgPoolCreator {

    private final int maxWaitQueue;
    private final Duration waitTimeout;
    private final SessionGuard guard;
    private final Canceller canceller;

    PoolCreator(@ConfigProperty(name = "quarry.pool.max-wait-queue", defaultValue = "100") int maxWaitQueue,
            @ConfigProperty(name = "quarry.pool.wait-timeout", defaultValue = "5s") Duration waitTimeout, SessionGuard guard,
            Canceller canceller) {
        this.maxWaitQueue = maxWaitQueue;
        this.waitTimeout = waitTimeout;
        this.guard = guard;
        this.canceller = canceller;
    }

    @Override
    public Pool create(Input input) {
        input.poolOptions()
                .setMaxWaitQueueSize(maxWaitQueue)
                .setConnectionTimeout(Math.toIntExact(waitTimeout.toMillis()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        List<PgConnectOptions> servers = input.pgConnectOptionsList();
        for (PgConnectOptions options : servers) {
            guard.loginSettings().forEach(options::addProperty);
        }
        if (servers.size() == 1) {
            canceller.target(new CancelRequest(input.vertx(), servers.get(0).getSocketAddress()));
        }
        // what Quarkus does itself when no creator is present, with the options above
        return PgDriver.INSTANCE.createPool(input.vertx(), servers, input.poolOptions());
    }
}
