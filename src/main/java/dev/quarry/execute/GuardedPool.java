package dev.quarry.execute;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;

/**
 * The reactive pool as Quarry uses it.
 * <ul>
 * <li>A bounded wait: Quarkus configures the pool's size but not its wait queue, which Vert.x leaves
 * unbounded, nor how long a request waits for a connection (30 s by default). Past either bound the
 * request fails at once ({@link QueryFailure#QUEUE_FULL}, {@link QueryFailure#WAITED_TOO_LONG})
 * instead of queueing.</li>
 * <li>With {@link QueryGuard#SESSION}, sessions that are read-only with the default statement timeout
 * from their login on, checked once at startup: a pooler that swallowed the startup parameters
 * would otherwise leave pages unguarded without a word.</li>
 * <li>{@link CancelRequest}s to the server the pool connects to.</li>
 * </ul>
 */
@Singleton
public class GuardedPool implements PgPoolCreator {

    private static final Logger LOG = Logger.getLogger(GuardedPool.class);

    private final int maxWaitQueue;
    private final Duration waitTimeout;
    private final QueryGuard guard;
    private final Duration defaultTimeout;
    private volatile CancelRequest cancelRequest;

    GuardedPool(@ConfigProperty(name = "quarry.pool.max-wait-queue", defaultValue = "100") int maxWaitQueue,
            @ConfigProperty(name = "quarry.pool.wait-timeout", defaultValue = "5s") Duration waitTimeout,
            @ConfigProperty(name = "quarry.query.guard", defaultValue = "session") QueryGuard guard,
            @ConfigProperty(name = "quarry.query.timeout", defaultValue = "30s") Duration defaultTimeout) {
        this.maxWaitQueue = maxWaitQueue;
        this.waitTimeout = waitTimeout;
        this.guard = guard;
        this.defaultTimeout = defaultTimeout;
    }

    @Override
    public Pool create(Input input) {
        input.poolOptions()
                .setMaxWaitQueueSize(maxWaitQueue)
                .setConnectionTimeout(Math.toIntExact(waitTimeout.toMillis()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        if (guard == QueryGuard.SESSION) {
            for (PgConnectOptions options : input.pgConnectOptionsList()) {
                options.addProperty("default_transaction_read_only", "on")
                        .addProperty("statement_timeout", Long.toString(defaultTimeout.toMillis()));
            }
        }
        // with several hosts the pool picks one per connection, and the cancel would not know which
        List<PgConnectOptions> servers = input.pgConnectOptionsList();
        cancelRequest = servers.size() == 1 ? new CancelRequest(input.vertx(), servers.get(0).getSocketAddress()) : null;
        // what Quarkus does itself when no creator is present, with the options above
        return PgDriver.INSTANCE.createPool(input.vertx(), servers, input.poolOptions());
    }

    /** The statement timeout of a template without its own ({@code quarry.query.timeout}). */
    Duration defaultTimeout() {
        return defaultTimeout;
    }

    /** True when the session itself holds a statement read-only with this timeout: it needs no transaction. */
    boolean sessionGuards(Duration timeout) {
        return guard == QueryGuard.SESSION && timeout.equals(defaultTimeout);
    }

    /** Cancels what the connection's backend runs now, done once the server has acted on it where it can be. */
    Future<Void> cancel(PgConnection connection) {
        CancelRequest request = cancelRequest;
        return request == null ? connection.cancelRequest() : request.send(connection);
    }

    /** After {@code DatabaseProbe} has found the server: a session of the pool has both settings. */
    void checkSessions(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 6) StartupEvent event,
            io.vertx.mutiny.sqlclient.Pool pool) {
        if (guard != QueryGuard.SESSION) {
            LOG.infof("Query guard: a transaction around every query (BEGIN READ ONLY, statement_timeout %d ms by default)",
                    defaultTimeout.toMillis());
            return;
        }
        Map<String, String> settings = new HashMap<>();
        pool.query("SELECT name, setting FROM pg_settings WHERE name IN ('transaction_read_only', 'statement_timeout')").execute()
                .await().atMost(Duration.ofSeconds(10)).forEach(row -> settings.put(row.getString(0), row.getString(1)));
        String readOnly = settings.get("transaction_read_only");
        String timeoutMillis = settings.get("statement_timeout");
        if (!"on".equals(readOnly) || !Long.toString(defaultTimeout.toMillis()).equals(timeoutMillis)) {
            throw new ConfigurationException("quarry.query.guard is session, but a session of the pool runs with transaction_read_only="
                    + readOnly + " and statement_timeout=" + timeoutMillis + " ms instead of on and " + defaultTimeout.toMillis()
                    + " ms: something between Quarry and PostgreSQL dropped the startup parameters (a pooler such as PgBouncer?)."
                    + " Set QUARRY_QUERY_GUARD=transaction there.");
        }
        LOG.infof("Query guard: sessions read-only with statement_timeout %d ms from login", defaultTimeout.toMillis());
    }
}
