package dev.quarry.http;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A broken template ({@code templates-broken}) beside the shipped ones, with
 * {@code quarry.templates.on-error=mark-broken}: the service starts, the broken one out of service and
 * the others serving; for the API's tests and the explorer's.
 */
public class MarkBroken implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarry.templates.on-error", "mark-broken", "quarry.templates.directory", "src/test/resources/templates-broken");
    }
}
