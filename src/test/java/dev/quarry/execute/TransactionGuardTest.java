package dev.quarry.execute;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The guard for poolers such as PgBouncer in transaction mode: a transaction around every page. */
@QuarkusTest
@TestProfile(TransactionGuardTest.Transaction.class)
class TransactionGuardTest extends QueryGuardTest {

    public static class Transaction implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return settings("transaction");
        }
    }

    @Override
    List<String> pageStatements() {
        return List.of("BEGIN READ ONLY; SET LOCAL statement_timeout = 1000", TEMPLATE, "COMMIT");
    }
}
