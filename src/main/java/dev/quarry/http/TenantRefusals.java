package dev.quarry.http;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.quarry.serve.TenantRequiredException;

/** A tenant's query asked for without a tenant, past {@link QueryAccess}: 403, as it would have answered. */
public class TenantRefusals {

    @ServerExceptionMapper
    public Response tenantRequired(TenantRequiredException e, UriInfo uri) {
        return Problems.forbidden(e.getMessage(), uri.getPath());
    }
}
