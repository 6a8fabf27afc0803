package dev.quarry.http;

import java.math.BigInteger;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.quarry.execute.TenancySettings;
import dev.quarry.render.Tenant;
import dev.quarry.template.ParamType;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The caller's tenant, read from the configured claim of its verified token and nowhere else: never
 * a header, a parameter or a cookie. A claim that is missing or of another type than configured
 * gives no tenant, and a template that needs one refuses the request (403).
 */
@Singleton
public class TenantClaim {

    private final TenancySettings tenancy;
    private final AuthenticationSettings authentication;
    private final SecurityIdentity identity;

    TenantClaim(TenancySettings tenancy, AuthenticationSettings authentication, SecurityIdentity identity) {
        this.tenancy = tenancy;
        this.authentication = authentication;
        this.identity = identity;
    }

    /**
     * What the caller's token says of its tenant: the tenant, or why it has none. Every request asks (a
     * resource does not know whether its template needs a tenant), so no exception is made for it.
     */
    private record Reading(Tenant tenant, String refusal) {
    }

    /** The caller's tenant, when tenancy and authentication are on and its token carries the claim with the right type. */
    public Optional<Tenant> tenant() {
        return Optional.ofNullable(read().tenant());
    }

    /** Why the caller has no tenant, for the 403 of a template that needs one; empty when it has one. */
    Optional<String> refusal() {
        return Optional.ofNullable(read().refusal());
    }

    private Reading read() {
        if (!authentication.enabled()) {
            return new Reading(null, "the tenant comes from a verified bearer token's claim, and authentication is off "
                    + "(quarry.auth.enabled): queries that return one tenant's rows do not run without it");
        }
        if (!tenancy.enabled()) {
            return new Reading(null, "tenancy is not configured (quarry.tenant.claim names the token claim that holds "
                    + "the caller's tenant): queries that return one tenant's rows do not run without it");
        }
        String claim = tenancy.claim().orElseThrow();
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token) || !token.containsClaim(claim)) {
            return new Reading(null, "the token carries no '" + claim + "' claim, which names the caller's tenant");
        }
        Object value = value(token.getClaim(claim), tenancy.claimType());
        if (value == null) {
            return new Reading(null, "the token's '" + claim + "' claim is not " + (tenancy.claimType() == ParamType.TEXT
                    ? "a string" : "an integer of type " + tenancy.claimType().keyword()) + ", as quarry.tenant.claim-type says");
        }
        return new Reading(new Tenant(value), null);
    }

    /** The claim as the configured type: a JSON string for text, a JSON integer in range for int and bigint; else null. */
    private static Object value(Object claim, ParamType type) {
        Object raw = claim instanceof JsonString string ? string.getString() : claim;
        if (type == ParamType.TEXT) {
            return raw instanceof String ? raw : null;
        }
        BigInteger integer = raw instanceof JsonNumber json && json.isIntegral() ? json.bigIntegerValue()
                : raw instanceof Long || raw instanceof Integer ? BigInteger.valueOf(((Number) raw).longValue()) : null;
        if (integer == null || integer.bitLength() > (type == ParamType.INT ? 31 : 63)) {
            return null;
        }
        return type == ParamType.INT ? (Object) integer.intValue() : (Object) integer.longValue();
    }
}
