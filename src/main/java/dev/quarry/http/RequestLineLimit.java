package dev.quarry.http;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerRequest;

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
    public Optional<Response> check(HttpServerRequest request) {
        // the target as it came, not a parsed URI: every request passes here
        String target = request.uri();
        // as it came: "GET /queries/x?a=1 HTTP/1.1"
        int length = request.method().name().length() + 1 + target.length() + " HTTP/1.1".length();
        if (length <= maxLength) {
            return Optional.empty();
        }
        int mark = target.indexOf('?');
        String query = mark < 0 ? null : target.substring(mark + 1);
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
                mark < 0 ? target : target.substring(0, mark), longest, List.of())));
    }
}
