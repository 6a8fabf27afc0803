package dev.quarry.serve;

/** A request for a template that does not exist. */
public class UnknownQueryException extends RuntimeException {

    UnknownQueryException(String name) {
        super("there is no query named '" + name + "'; GET /queries lists them");
    }
}
