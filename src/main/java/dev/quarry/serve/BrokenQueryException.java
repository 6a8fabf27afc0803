package dev.quarry.serve;

/** A request for a template that failed its startup check and was kept aside. */
public class BrokenQueryException extends RuntimeException {

    BrokenQueryException(String name, String reason) {
        super("query '" + name + "' is out of service: " + reason);
    }
}
