package dev.quarry.http;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Authentication on ({@link TestTokens}) and the tenant read from the token's {@code nation} claim, an
 * int; no tenant-scoped tables, so that the shipped templates keep serving beside the tenant ones.
 */
public class TenancyOn implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(TestTokens.authenticationOn());
        config.put("quarry.tenant.claim", "nation");
        config.put("quarry.tenant.claim-type", "int");
        return config;
    }
}
