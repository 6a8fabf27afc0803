package dev.quarry.http;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a request line longer than {@code quarry.request.max-line-length} with a 400 that says
 * so, and which parameter takes most of it. Vert.x reads lines up to twice as long
 * ({@code quarkus.http.limits.max-initial-line-length}); past that it answers a bare 414 of its own,
 * before any of this code runs.
 */
public class RequestLineLimit {

    private final int maxLength;

    RequestLineLimit(@ConfigProperty(name = "quarry.request.max-line-length", defaultValue = "65536") int maxLength) {
        this.maxLength = maxLength;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> check(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String query = uri.getRawQuery();
        // as it came: "GET /queries/x?a=1 HTTP/1.1"
        int length = request.getMethod().length() + 1 + uri.getRawPath().length() + (query == null ? 0 : 1 + query.length())
                + " HTTP/1.1".length();
        if (length <= maxLength) {
            return Optional.empty();
        }
        String longest = null;
        int longestLength = 0;
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.length() > longestLength) {
                longestLength = pair.length();
                longest = pair.substring(0, pair.indexOf('=') < 0 ? pair.length() : pair.indexOf('='));
            }
        }
        String detail = "the request line is " + length + " bytes, more than the " + maxLength
                + " this service reads (quarry.request.max-line-length)"
                + (longest == null ? "" : "; parameter '" + longest + "' takes " + longestLength + " of them")
                + ": send fewer or shorter values, or split the request";
        return Optional.of(Problems.response(new Problem("about:blank", "Request line too long", 400, detail,
                uri.getRawPath(), longest, List.of())));
    }
}
