package dev.quarry.http;

/** A request for a template that failed its startup check and was kept aside. */
class BrokenQueryException extends RuntimeException {

    BrokenQueryException(String name, String reason) {
        super("query '" + name + "' is out of service: " + reason);
    }
}
