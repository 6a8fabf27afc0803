package dev.quarry.dataset;

import java.time.Duration;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/** Ready only when PostgreSQL answers and a dataset is published. */
@Readiness
@Singleton
public class DatasetReadiness implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Pool pool;

    DatasetReadiness(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query("SELECT scale FROM quarry_dataset WHERE name = 'tpch'").execute()
                .ifNoItem().after(TIMEOUT).fail()
                .map(rows -> {
                    var response = HealthCheckResponse.named("dataset");
                    if (rows.size() == 0) {
                        return response.down().withData("reason", "no dataset is loaded").build();
                    }
                    Row row = rows.iterator().next();
                    return response.up().withData("scale", row.getBigDecimal("scale").toPlainString()).build();
                })
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("dataset").down()
                        .withData("reason", String.valueOf(failure.getMessage())).build());
    }
}
