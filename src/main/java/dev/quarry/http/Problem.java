package dev.quarry.http;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem: what went wrong, for a person, and for 400s the parameter it is about and
 * what that parameter accepts.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, String parameter,
        List<String> allowed) {

    public static final String MEDIA_TYPE = "application/problem+json";

    static Problem of(int status, String title, String detail, String instance) {
        return new Problem("about:blank", title, status, detail, instance, null, List.of());
    }
}
