package dev.quarry.http;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.quarry.execute.Catalog;
import dev.quarry.execute.CheckedTemplate;
import dev.quarry.template.Template;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may ask what, decided before a resource method runs, so a refusal is a whole problem+json
 * response and never a cut stream. With authentication on, every endpoint under {@code /queries}
 * needs a valid bearer token (401 otherwise); a template that declares {@code @roles} needs one of
 * them among the token's groups (403 otherwise); a template without {@code @roles} is open to any
 * valid token. A template that uses {@code :tenant} needs the caller's tenant from its token's claim
 * ({@link TenantClaim}; 403 without it), and with authentication off it never runs (403, saying why).
 */
@Singleton
public class QueryAccess {

    private final AuthenticationSettings settings;
    private final Catalog catalog;
    private final SecurityIdentity identity;
    private final TenantClaim tenants;

    QueryAccess(AuthenticationSettings settings, Catalog catalog, SecurityIdentity identity, TenantClaim tenants) {
        this.settings = settings;
        this.catalog = catalog;
        this.identity = identity;
        this.tenants = tenants;
    }

    @ServerRequestFilter
    public Optional<Response> authorize(UriInfo uri, RoutingContext context) {
        if (!settings.enabled()) {
            return tenantRefusal(uri);
        }
        if (identity.isAnonymous()) {
            boolean tokenRejected = context.get(BearerAuthentication.REJECTED) != null;
            String detail = tokenRejected
                    ? "the bearer token is not valid (malformed, expired, not yet valid, from another issuer or not signed by the "
                            + "configured key)"
                    : "a bearer token is required: send Authorization: Bearer <JWT>";
            return Optional.of(Problems.unauthorized(detail, uri.getPath(), tokenRejected));
        }
        String name = uri.getPathParameters().getFirst("name");
        if (name == null) {
            return Optional.empty();
        }
        Optional<Template> template = catalog.find(name).map(CheckedTemplate::template);
        if (template.isPresent() && !mayRun(template.get())) {
            return Optional.of(
                    Problems.forbidden("query '" + name + "' needs one of the roles " + String.join(", ", template.get().header().roles())
                            + " in the token's groups claim", uri.getPath()));
        }
        return tenantRefusal(uri);
    }

    /** 403 for a template that returns one tenant's rows when the caller has no tenant, and why. */
    private Optional<Response> tenantRefusal(UriInfo uri) {
        String name = uri.getPathParameters().getFirst("name");
        if (name == null || catalog.find(name).filter(checked -> checked.template().tenant()).isEmpty()) {
            return Optional.empty();
        }
        return tenants.refusal().map(reason -> Problems.forbidden("query '" + name + "' returns one tenant's rows: " + reason,
                uri.getPath()));
    }

    /** Whether the caller may run the template: always with authentication off. */
    public boolean mayRun(Template template) {
        if (!settings.enabled()) {
            return true;
        }
        List<String> roles = template.header().roles();
        return !identity.isAnonymous() && (roles.isEmpty() || roles.stream().anyMatch(identity::hasRole));
    }
}
