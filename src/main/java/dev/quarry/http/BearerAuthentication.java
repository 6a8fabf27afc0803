package dev.quarry.http;

import java.util.Optional;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JWTAuthMechanism;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Bearer JWTs, verified by SmallRye JWT, when authentication is on; with it off, no request is
 * authenticated and every token is ignored. A token that fails verification leaves the request
 * anonymous with the failure noted, so that {@link QueryAccess} answers it with a problem (the
 * framework's own answer would be an empty 401) and the open endpoints (health, metrics) stay open.
 */
@Alternative
@Priority(1)
@Singleton
public class BearerAuthentication implements HttpAuthenticationMechanism {

    /** The routing context key under which a rejected token is noted. */
    static final String REJECTED = "quarry.auth.rejected";

    private static final Logger LOG = Logger.getLogger(BearerAuthentication.class);

    private final JWTAuthMechanism jwt;
    private final AuthenticationSettings settings;

    BearerAuthentication(JWTAuthMechanism jwt, AuthenticationSettings settings) {
        this.jwt = jwt;
        this.settings = settings;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (!settings.enabled()) {
            return Uni.createFrom().optional(Optional.empty());
        }
        return jwt.authenticate(context, identities).onFailure().recoverWithUni(failure -> {
            LOG.debugf(failure, "Bearer token rejected on %s", context.normalizedPath());
            context.put(REJECTED, Boolean.TRUE);
            return Uni.createFrom().optional(Optional.empty());
        });
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return jwt.getChallenge(context);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return jwt.getCredentialTypes();
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return jwt.getCredentialTransport(context);
    }
}
