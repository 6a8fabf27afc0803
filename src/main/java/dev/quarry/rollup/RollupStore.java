package dev.quarry.rollup;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.quarry.dataset.JdbcTarget;
import dev.quarry.template.RollupDeclaration;
import io.quarkus.runtime.StartupEvent;

/**
 * The state of every rollup's table as the last good build left it ({@code quarry_rollup.built}), read at
 * startup and again by the schedule, and kept up to date by the builds this process runs. The request
 * path asks it which rollups may answer; it never touches the database there.
 */
@ApplicationScoped
public class RollupStore {

    private static final Logger LOG = Logger.getLogger(RollupStore.class);

    private final Config config;
    private final RollupPlans plans;
    private final Event<LostRollup> losses;
    private final Clock clock;
    private final Map<RollupName, RollupState> states = new ConcurrentHashMap<>();

    @Inject
    RollupStore(Config config, RollupPlans plans, Event<LostRollup> losses) {
        this(config, plans, losses, Clock.systemUTC());
    }

    RollupStore(Config config, RollupPlans plans, Event<LostRollup> losses, Clock clock) {
        this.config = config;
        this.plans = plans;
        this.losses = losses;
        this.clock = clock;
    }

    /** A rollup whose table went missing under a request, to be built again. */
    public record LostRollup(RollupName name) {
    }

    void load(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 30) StartupEvent event) {
        reload();
    }

    /** Reads every rollup's state again: builds by other processes (load, refresh, other replicas) show here. */
    public void reload() {
        try (Connection connection = JdbcTarget.of(config).connect()) {
            Map<RollupName, RollupState> read = RollupStateTable.readAll(connection);
            states.keySet().retainAll(read.keySet());
            states.putAll(read);
        } catch (SQLException e) {
            // the template answers meanwhile; the schedule reads it again
            LOG.warnf("Could not read the rollups' state (%s); requests are answered from the templates until it can be read",
                    e.getMessage());
        }
    }

    /**
     * The rollup's state if it may answer: built for its current definition, its table there as far as
     * Quarry knows, and within its {@code fresh for} unless stale answers are allowed.
     */
    public Optional<RollupState> usable(RollupDeclaration rollup) {
        RollupName name = new RollupName(rollup.template(), rollup.name());
        RollupState state = states.get(name);
        if (state == null || !plans.definition(rollup).map(state.definition()::equals).orElse(false)) {
            return Optional.empty();
        }
        boolean fresh = rollup.freshFor().map(limit -> state.age(clock.instant()).compareTo(limit) <= 0).orElse(true);
        return fresh || rollup.staleAllowed() ? Optional.of(state) : Optional.empty();
    }

    /**
     * The rollup's table is missing (a request met SQLSTATE 42P01): it answers nothing until it is built
     * again, which starts now, in the background. Told by many requests at once, it builds once.
     */
    public void lost(RollupDeclaration rollup) {
        RollupName name = new RollupName(rollup.template(), rollup.name());
        if (states.remove(name) != null) {
            LOG.warnf("Rollup %s: its table %s is missing; answering from the template while it is built again", name, rollup.table());
            losses.fireAsync(new LostRollup(name));
        }
    }

    /** The state of a rollup, usable or not; empty if it has no table. */
    public Optional<RollupState> state(RollupName name) {
        return Optional.ofNullable(states.get(name));
    }

    void built(RollupState state) {
        states.put(state.name(), state);
    }

    void failed(RollupName name, String error, OffsetDateTime at) {
        states.computeIfPresent(name, (key, state) -> state.failed(error, at));
    }
}
