package dev.quarry.execute;

/**
 * The handler of a held connection's own failures (the server closed it, a write broke): the
 * statement in flight on it fails with the same failure and is answered for (a 503 while the
 * database is away, said once in the log by {@link DatabaseAvailability}). Without a handler the
 * Vert.x SQL client prints each such failure's stack trace to standard error, one per connection.
 */
final class SessionFailures {

    private SessionFailures() {
    }

    static void ignore(Throwable failure) {
        // answered through the statement that was running on the connection
    }
}
