package dev.quarry.rollup;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * What {@code serve} builds by itself, looking every {@code quarry.rollup.schedule.tick}: each rollup whose
 * {@code refresh every} has passed since its last build (for a database Quarry does not load, whose
 * rows change under it), and each with no good table for its current definition (never built, declared
 * anew, or its table dropped by hand). Before looking it reads the state again, so builds by other
 * replicas or commands count. Off in the batch commands, which build what they are told to.
 */
@ApplicationScoped
class RollupSchedule {

    private static final Logger LOG = Logger.getLogger(RollupSchedule.class);

    private final RollupPlans plans;
    private final RollupStore store;
    private final RollupRefresher refresher;
    private final RollupSettings settings;
    private final Clock clock;
    private boolean toldReadOnly;

    RollupSchedule(RollupPlans plans, RollupStore store, RollupRefresher refresher, RollupSettings settings) {
        this.plans = plans;
        this.store = store;
        this.refresher = refresher;
        this.settings = settings;
        this.clock = Clock.systemUTC();
    }

    @Scheduled(identity = "quarry-rollups", every = "{quarry.rollup.schedule.tick}", delayed = "{quarry.rollup.schedule.tick}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (settings.scheduled()) {
            refreshDue();
        }
    }

    /** Builds every rollup that is due, one after another; the number built or tried. */
    int refreshDue() {
        store.reload();
        int due = 0;
        for (RollupPlan plan : plans.all()) {
            if (due(plan) && writable()) {
                refresher.refresh(plan, false);
                due++;
            }
        }
        return due;
    }

    /** Whether this role can build; said once when it cannot (the reader role: refresh runs as the writer). */
    private boolean writable() {
        boolean writable = refresher.canBuild();
        if (!writable && !toldReadOnly) {
            LOG.infof("Rollups due are not built here: this service's database sessions are read-only; build them with the refresh"
                    + " command as a role that can write");
            toldReadOnly = true;
        }
        return writable;
    }

    private boolean due(RollupPlan plan) {
        return store.state(plan.name()).map(state -> !state.definition().equals(plan.definition())
                || plan.declaration().refreshEvery().map(every -> state.age(clock.instant()).compareTo(every) >= 0).orElse(false))
                .orElse(true);
    }
}
