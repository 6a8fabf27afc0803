package dev.quarry.execute;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Where queries are made read-only and given their default statement timeout
 * ({@code quarry.query.guard}, {@code quarry.query.timeout}). With {@link QueryGuard#SESSION} the
 * pool's sessions carry both from their login, which is checked once at startup: a pooler that
 * swallowed the startup parameters would otherwise leave pages unguarded without a word.
 */
@Singleton
public class SessionGuard {

    private static final Logger LOG = Logger.getLogger(SessionGuard.class);

    private final QueryGuard guard;
    private final Duration defaultTimeout;

    SessionGuard(@ConfigProperty(name = "quarry.query.guard", defaultValue = "session") QueryGuard guard,
            @ConfigProperty(name = "quarry.query.timeout", defaultValue = "30s") Duration defaultTimeout) {
        this.guard = guard;
        this.defaultTimeout = defaultTimeout;
    }

    /** The statement timeout of a template without its own ({@code quarry.query.timeout}). */
    Duration defaultTimeout() {
        return defaultTimeout;
    }

    /** True when the session itself runs a statement as these settings say: it needs no transaction. */
    boolean sessionGuards(StatementSettings settings) {
        return guard == QueryGuard.SESSION && settings.timeout().equals(defaultTimeout) && !settings.customPlan()
                && settings.tenant().isEmpty();
    }

    /** The startup parameters every session of the pool logs in with. */
    Map<String, String> loginSettings() {
        return guard == QueryGuard.SESSION
                ? Map.of("default_transaction_read_only", "on", "statement_timeout", Long.toString(defaultTimeout.toMillis()))
                : Map.of();
    }

    /** After {@code DatabaseProbe} has found the server: a session of the pool has both settings. */
    void checkSessions(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 6) StartupEvent event, Pool pool) {
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
