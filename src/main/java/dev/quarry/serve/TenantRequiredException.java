package dev.quarry.serve;

/** A request for a template that uses {@code :tenant} from a caller without a tenant: refused, never run unbound. */
public class TenantRequiredException extends RuntimeException {

    TenantRequiredException(String name) {
        super("query '" + name + "' returns one tenant's rows and the request has no tenant: it comes from the claim of a "
                + "verified bearer token only");
    }
}
