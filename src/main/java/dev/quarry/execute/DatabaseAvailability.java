package dev.quarry.execute;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

/**
 * PostgreSQL's availability as the service's statements find it: an outage is one ERROR line when
 * the first statement finds the database unreachable ({@link QueryFailure#UNAVAILABLE}) and one
 * line when a statement begun after that succeeds; the requests in between answer 503 and log nothing.
 */
@Singleton
public class DatabaseAvailability {

    private final Availability postgres = new Availability(Logger.getLogger(DatabaseAvailability.class), Logger.Level.ERROR,
            "PostgreSQL", "queries answer 503 until it is back", failure -> QueryFailure.of(failure) == QueryFailure.UNAVAILABLE);

    /** Call as a statement, or the connection for one, is asked for; end it with the outcome. */
    public Availability.Attempt attempt() {
        return postgres.attempt();
    }
}
