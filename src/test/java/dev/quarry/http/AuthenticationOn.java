package dev.quarry.http;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Authentication on, verifying {@link TestTokens}' tokens: for the API's tests and the explorer's. */
public class AuthenticationOn implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return TestTokens.authenticationOn();
    }
}
