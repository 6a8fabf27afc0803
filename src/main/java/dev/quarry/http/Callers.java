package dev.quarry.http;

import java.util.Set;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.quarry.serve.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * Who the current request comes from: the verified token's subject ({@code sub}), its roles and its
 * tenant with authentication on; the client's address with it off (behind a proxy, the address the proxy forwards
 * when {@code quarkus.http.proxy.proxy-address-forwarding} is on).
 */
@Singleton
public class Callers {

    private final AuthenticationSettings settings;
    private final SecurityIdentity identity;
    private final CurrentVertxRequest request;
    private final TenantClaim tenants;

    Callers(AuthenticationSettings settings, SecurityIdentity identity, CurrentVertxRequest request, TenantClaim tenants) {
        this.settings = settings;
        this.identity = identity;
        this.request = request;
        this.tenants = tenants;
    }

    Caller current() {
        if (settings.enabled() && !identity.isAnonymous()) {
            String subject = identity.getPrincipal() instanceof JsonWebToken token && token.getSubject() != null ? token.getSubject()
                    : identity.getPrincipal().getName();
            return new Caller("subject " + subject, identity.getRoles(), tenants.tenant());
        }
        return new Caller("address " + request.getCurrent().request().remoteAddress().hostAddress(), Set.of(), tenants.tenant());
    }
}
