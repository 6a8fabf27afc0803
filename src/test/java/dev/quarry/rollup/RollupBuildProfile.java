package dev.quarry.rollup;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The rollup build tests' own templates ({@code templates-rollup}), over a table the tests make after
 * startup, so no template is checked at startup; a swap gives up after a second of waiting for a lock;
 * nothing built on a schedule but what a test asks for.
 */
public class RollupBuildProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarry.templates.directory", "src/test/resources/templates-rollup",
                "quarry.templates.check-on-start", "false",
                "quarry.rollup.lock-timeout", "1s",
                "quarry.rollup.schedule.enabled", "false");
    }
}
