package dev.quarry.execute;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The default guard: sessions read-only with the default timeout from their login, a page one statement. */
@QuarkusTest
@TestProfile(SessionGuardTest.Session.class)
class SessionGuardTest extends QueryGuardTest {

    public static class Session implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return settings("session");
        }
    }

    @Override
    List<String> pageStatements() {
        return List.of(TEMPLATE);
    }
}
