package dev.quarry.serve;

/** A stream refused or ended because the server is stopping; another replica can serve it. */
public class ShuttingDownException extends RuntimeException {

    ShuttingDownException() {
        super("this server is shutting down; connect again (an EventSource does on its own) and another server answers, "
                + "resuming after the last row id for a keyed query", null, false, false);
    }
}
