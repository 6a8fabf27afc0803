package dev.quarry.render;

/**
 * The caller's tenant, read from a verified token's claim: what {@code :tenant} is bound to.
 *
 * @param value a String, an Integer or a Long, as the claim's configured type says
 */
public record Tenant(Object value) {

    @Override
    public String toString() {
        return String.valueOf(value);
    }
}
