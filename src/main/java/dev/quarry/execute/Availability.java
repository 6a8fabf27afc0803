package dev.quarry.execute;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.jboss.logging.Logger;

/**
 * Whether a dependency (PostgreSQL, the shared cache) answered, told in the log only when that
 * changes: one line when it stops answering, one when it answers again, and nothing for the
 * requests in between, however many fail. Each attempt counts only against the state it began in,
 * so an answer already on its way when the dependency went away does not announce its return, nor
 * a late failure a second outage.
 */
public final class Availability {

    private final Logger log;
    private final Logger.Level awayLevel;
    private final String name;
    private final String meanwhile;
    private final Predicate<Throwable> unreachable;
    /** Changes of state so far: even while the dependency answers, odd while it does not. */
    private final AtomicLong changes = new AtomicLong();
    private volatile long awaySince;

    /**
     * @param awayLevel   the level of the line that says it went away
     * @param name        the dependency, as the lines name it
     * @param meanwhile   what the service does until it is back
     * @param unreachable which failures say it cannot be reached (others say nothing of that)
     */
    public Availability(Logger log, Logger.Level awayLevel, String name, String meanwhile, Predicate<Throwable> unreachable) {
        this.log = log;
        this.awayLevel = awayLevel;
        this.name = name;
        this.meanwhile = meanwhile;
        this.unreachable = unreachable;
    }

    /** An attempt beginning now: a statement, a connection, a command. */
    public Attempt attempt() {
        return new Attempt(changes.get());
    }

    /** One attempt, ended once with its failure (null when it succeeded). */
    public final class Attempt {

        private final long began;

        private Attempt(long began) {
            this.began = began;
        }

        public void ended(Throwable failure) {
            boolean answering = began % 2 == 0;
            if (failure == null && !answering && changes.compareAndSet(began, began + 1)) {
                log.infof("%s answers again, after %d s away", name, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - awaySince));
            } else if (failure != null && answering && unreachable.test(failure) && changes.compareAndSet(began, began + 1)) {
                awaySince = System.nanoTime();
                log.logf(awayLevel, "%s did not answer (%s): %s", name, failure.getMessage(), meanwhile);
            }
        }
    }
}
