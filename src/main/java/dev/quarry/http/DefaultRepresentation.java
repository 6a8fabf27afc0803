package dev.quarry.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * JSON is the representation of a query when the client states no preference: without this, an
 * {@code Accept: *}{@code /*} would match the CSV method as well as the JSON one.
 */
public class DefaultRepresentation {

    @ServerRequestFilter(preMatching = true)
    public void preferJson(ContainerRequestContext request) {
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        if (accept == null || accept.isBlank() || accept.strip().equals(MediaType.WILDCARD)) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON);
        }
    }
}
