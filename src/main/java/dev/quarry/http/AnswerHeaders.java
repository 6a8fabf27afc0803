package dev.quarry.http;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.RestResponse;

import dev.quarry.cache.Served;

/**
 * What a browser or a CDN needs to cache an answer correctly: its {@code ETag} (and 304 Not
 * Modified when {@code If-None-Match} names it), {@code Cache-Control} with the template's max-age
 * ({@code private} when authentication is on, so a shared cache never hands one caller's answer to
 * another; {@code no-cache} when the template keeps nothing, so a client asks again each time but
 * may still get a 304), the {@code Age} of an answer kept here, and {@code Vary} on what changes it.
 */
@Singleton
public class AnswerHeaders {

    /** Where an answer's rows were read from: {@code rollup analysis/revenue-cube monthly; age=300s}, or {@code template}. */
    public static final String SOURCE = "Quarry-Source";

    private final AuthenticationSettings authentication;

    AnswerHeaders(AuthenticationSettings authentication) {
        this.authentication = authentication;
    }

    /**
     * The answer, or 304 when the client already holds it; both with the same headers. Typed as
     * bytes, so that RESTEasy picks the body's writer once at build time, not for every response.
     */
    public RestResponse<byte[]> respond(Served served, String ifNoneMatch, String mediaType, String source) {
        String etag = served.answer().etag();
        RestResponse.ResponseBuilder<byte[]> response = matches(ifNoneMatch, etag) ? RestResponse.ResponseBuilder.notModified()
                : RestResponse.ResponseBuilder.ok(served.answer().body(), mediaType);
        return headers(response, served).header(SOURCE, source).build();
    }

    private RestResponse.ResponseBuilder<byte[]> headers(RestResponse.ResponseBuilder<byte[]> response, Served served) {
        response.header(HttpHeaders.ETAG, served.answer().etag());
        String scope = authentication.enabled() ? "private, " : "";
        long maxAge = served.ttl().toSeconds();
        response.header(HttpHeaders.CACHE_CONTROL, served.ttl().isZero() ? scope + "no-cache" : scope + "max-age=" + maxAge);
        if (served.source().kept()) {
            response.header("Age", served.ageSeconds());
        }
        response.header(HttpHeaders.VARY, authentication.enabled() ? "Accept, Authorization" : "Accept");
        return response;
    }

    /** RFC 9110's weak comparison: {@code *}, or any listed tag with or without {@code W/}. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String candidate = tag.strip();
            if (candidate.equals("*") || candidate.equals(etag) || candidate.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
