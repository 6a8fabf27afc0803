package dev.quarry.http;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Budgets and quotas: the templates of {@code templates-guarded} beside the shipped ones, a default
 * budget for templates without their own (cost 10 for the role {@code bulk}), and authentication on, so that quotas count each token's
 * subject: one request running and one waiting per caller, three running for the role {@code analyst}.
 * {@code guarded/unanalyzed} reads a table its test creates, so it starts out of service.
 */
public class Guarded implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(TestTokens.authenticationOn());
        config.put("quarry.templates.directory", "src/test/resources/templates-guarded");
        config.put("quarry.templates.on-error", "mark-broken");
        config.put("quarry.budget.default", "cost 1e8");
        config.put("quarry.budget.roles.bulk", "cost 10");
        config.put("quarry.quota.running", "1");
        config.put("quarry.quota.waiting", "1");
        config.put("quarry.quota.roles.analyst.running", "3");
        config.put("quarry.quota.roles.analyst.waiting", "0");
        return config;
    }
}
