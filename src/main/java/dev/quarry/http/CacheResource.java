package dev.quarry.http;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.quarry.cache.AnswerCache;
import dev.quarry.execute.Catalog;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * {@code DELETE /cache} and {@code DELETE /cache/{template}}: forgets the kept answers of every
 * template, or of one, on this replica (and in the shared tier when there is one), so that the
 * next request reads the database. With authentication on, the token's groups must hold the purge
 * role ({@code quarry.cache.purge-role}); {@link QueryAccess} has already refused a request without a
 * valid token.
 */
@Path("/cache")
public class CacheResource {

    /** How many kept answers a purge forgot. */
    public record Purged(String template, long answers) {
    }

    private final AnswerCache cache;
    private final Catalog catalog;
    private final AuthenticationSettings authentication;
    private final SecurityIdentity identity;
    private final String purgeRole;

    CacheResource(AnswerCache cache, Catalog catalog, AuthenticationSettings authentication, SecurityIdentity identity,
            @ConfigProperty(name = "quarry.cache.purge-role", defaultValue = "cache-admin") String purgeRole) {
        this.cache = cache;
        this.catalog = catalog;
        this.authentication = authentication;
        this.identity = identity;
        this.purgeRole = purgeRole;
    }

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Forget every kept answer: the next requests read the database")
    public CompletionStage<Response> purgeAll(@Context UriInfo uri) {
        return purge(Optional.empty(), uri);
    }

    @DELETE
    @Path("{template: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Forget one template's kept answers: its next requests read the database")
    public CompletionStage<Response> purgeTemplate(@PathParam("template") String template, @Context UriInfo uri) {
        if (!mayPurge()) {
            return CompletableFuture.completedFuture(forbidden(uri));
        }
        if (catalog.find(template).isEmpty()) {
            return CompletableFuture.completedFuture(Problems.response(Problem.of(404, "Unknown query",
                    "there is no query named '" + template + "'; GET /queries lists them", uri.getPath())));
        }
        return purge(Optional.of(template), uri);
    }

    private CompletionStage<Response> purge(Optional<String> template, UriInfo uri) {
        if (!mayPurge()) {
            return CompletableFuture.completedFuture(forbidden(uri));
        }
        return cache.purge(template).thenApply(purged -> Response.ok(new Purged(template.orElse(null), purged)).build());
    }

    private boolean mayPurge() {
        return !authentication.enabled() || identity.hasRole(purgeRole);
    }

    private Response forbidden(UriInfo uri) {
        return Problems.forbidden("purging the cache needs the role " + purgeRole + " in the token's groups claim", uri.getPath());
    }
}
