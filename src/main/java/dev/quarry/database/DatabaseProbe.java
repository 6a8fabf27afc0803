package dev.quarry.database;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Asks the configured PostgreSQL for its version before anything else uses it, so that a wrong URL
 * or a server that is down stops startup with one line naming host, port and reason, and a server
 * older than {@value #OLDEST_SUPPORTED} with one line naming the version needed.
 */
@Singleton
public class DatabaseProbe {

    private static final Logger LOG = Logger.getLogger(DatabaseProbe.class);

    /** The oldest major version Quarry runs on, as {@code server_version_num} counts (15.0 is 150000). */
    static final int OLDEST_SUPPORTED = 15;

    void probe(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 5) StartupEvent event, Pool pool, Config config,
            @ConfigProperty(name = "quarry.database.connect-timeout", defaultValue = "10s") Duration timeout) {
        String url = config.getValue("quarkus.datasource.reactive.url", String.class).replaceFirst("^vertx-reactive:", "");
        PgConnectOptions target = PgConnectOptions.fromUri(url);
        String where = target.getHost() + ":" + target.getPort() + "/" + target.getDatabase();
        Row version;
        try {
            version = pool.query("SELECT current_setting('server_version'), current_setting('server_version_num')::int")
                    .execute().await().atMost(timeout).iterator().next();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() instanceof TimeoutException || e instanceof io.smallrye.mutiny.TimeoutException
                    ? new TimeoutException("no answer within " + timeout.toSeconds() + " s") : rootCause(e);
            // PgBouncer refuses a login with settings it does not know ("unsupported startup parameter: ...")
            String advice = String.valueOf(cause.getMessage()).contains("startup parameter")
                    ? "a pooler such as PgBouncer refuses the session settings of quarry.query.guard=session: set QUARRY_QUERY_GUARD=transaction"
                    : "set QUARKUS_DATASOURCE_REACTIVE_URL, QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD";
            // a ConfigurationException without a cause is printed by Quarkus as its message alone
            throw new ConfigurationException("Cannot reach PostgreSQL at " + where + ": " + cause.getMessage() + " (" + advice + ")");
        }
        if (version.getInteger(1) / 10000 < OLDEST_SUPPORTED) {
            throw new ConfigurationException("PostgreSQL at " + where + " is " + version.getString(0) + "; Quarry needs PostgreSQL "
                    + OLDEST_SUPPORTED + " or newer");
        }
        LOG.infof("Connected to PostgreSQL %s at %s", version.getString(0), where);
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
