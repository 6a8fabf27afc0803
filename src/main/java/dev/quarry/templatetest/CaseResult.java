package dev.quarry.templatetest;

import java.util.Optional;

import dev.quarry.render.QueryRequest;

/**
 * How one case went.
 *
 * @param template  the template it tests
 * @param name      the case's name
 * @param failure   {@code file:line: reason}, and a diff when rows differ; empty when it passed
 * @param exercised the request it ran, for coverage; empty when it never reached the database
 * @param millis    how long it took
 */
public record CaseResult(String template, String name, Optional<String> failure, Optional<QueryRequest> exercised,
        long millis) {

    public boolean passed() {
        return failure.isEmpty();
    }
}
