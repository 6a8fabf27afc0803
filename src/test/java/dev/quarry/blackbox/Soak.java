package dev.quarry.blackbox;

import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.quarry.TestDatabaseServer;
import dev.quarry.cache.RedisServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A soak of the packaged service, the same whether it runs for a minute in the build (SoakIT) or
 * for half an hour from src/test/bench/soak-benchmark.sh: two replicas ({@code -Xmx128m}, answers
 * kept 5 s) sharing one PostgreSQL (TPC-H scale 0.01) and one redis-server, under {@link SoakLoad}'s
 * 32 clients and {@link SoakLeavers}' client a second that leaves its stream; 40% into the load
 * PostgreSQL is stopped and started again, 65% into it Redis. Everything runs on loopback, on free
 * ports but PostgreSQL's (the tests' port).
 */
final class Soak {

    static final int CLIENTS = 32;
    /** How long each dependency stays away. */
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    /** After PostgreSQL is back, the time the replicas' pools may take to connect again (their wait timeout). */
    private static final Duration RECONNECT = Duration.ofSeconds(5);
    private static final Duration SETTLE = Duration.ofSeconds(15);

    private Soak() {
    }

    static SoakReport run(Duration load) throws Exception {
        Files.createDirectories(PackagedApp.DATA);
        Instant began = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(PackagedApp.DATA).setCleanDataDirectory(false)
                .setPort(PackagedApp.POSTGRES_PORT).setServerConfig("listen_addresses", "localhost").start()) {
            loadDataset(postgres);
            List<Long> orderKeys = orderKeys(postgres);
            RedisServer redis = RedisServer.start();
            Map<String, PackagedApp> apps = new LinkedHashMap<>();
            Map<String, URI> uris = new LinkedHashMap<>();
            Map<String, SoakMemory> memory = new LinkedHashMap<>();
            try {
                for (String name : List.of("soak-replica-1", "soak-replica-2")) {
                    int port = PackagedApp.freePort();
                    apps.put(name, PackagedApp.start(name, List.of("-Xmx128m"), Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                            "QUARRY_CACHE_DEFAULT_TTL", "5s", "QUARRY_CACHE_REDIS_URL", redis.url())));
                    uris.put(name, URI.create("http://127.0.0.1:" + port));
                }
                for (Map.Entry<String, PackagedApp> app : apps.entrySet()) {
                    app.getValue().awaitReady(uris.get(app.getKey()), Duration.ofMinutes(3));
                    memory.put(app.getKey(), SoakMemory.start(uris.get(app.getKey()), app.getValue().process().pid()));
                }

                SoakAnswers answers = new SoakAnswers();
                List<URI> replicas = new ArrayList<>(uris.values());
                long origin = System.nanoTime();
                SoakReport.Window postgresDown;
                SoakReport.Window redisDown;
                SoakLeavers leavers = SoakLeavers.start(replicas, answers);
                try (SoakLoad clients = SoakLoad.start(replicas, orderKeys, answers, CLIENTS)) {
                    TestDatabaseServer server = TestDatabaseServer.runningOn(PackagedApp.DATA);
                    sleepUntil(origin + load.toNanos() * 2 / 5);
                    long stopped = System.nanoTime() - origin;
                    server.stop();
                    Thread.sleep(OUTAGE.toMillis());
                    server.start();
                    postgresDown = new SoakReport.Window(stopped, System.nanoTime() - origin);

                    sleepUntil(origin + load.toNanos() * 13 / 20);
                    int redisPort = redis.port();
                    long redisStopped = System.nanoTime() - origin;
                    redis.close();
                    Thread.sleep(OUTAGE.toMillis());
                    redis = RedisServer.start(redisPort);
                    redisDown = new SoakReport.Window(redisStopped, System.nanoTime() - origin);
                    sleepUntil(origin + load.toNanos());
                } finally {
                    leavers.close();
                }
                Duration loaded = Duration.ofNanos(System.nanoTime() - origin);
                memory.values().forEach(SoakMemory::sample);
                memory.values().forEach(SoakMemory::close);
                long busy = awaitSessions(postgres, "state <> 'idle'");
                for (PackagedApp app : apps.values()) {
                    app.close();
                }
                long left = awaitSessions(postgres, "true");

                Map<String, SoakReport.Replica> replicaReports = new LinkedHashMap<>();
                apps.forEach((name, app) -> replicaReports.put(name, new SoakReport.Replica(SoakLog.of(app.output()),
                        memory.get(name).samples())));
                return new SoakReport(began, origin, loaded, CLIENTS, replicaReports, answers, leavers.beforeHeaders(),
                        leavers.afterHeaders(), postgresDown, redisDown, RECONNECT, busy, left);
            } finally {
                memory.values().forEach(SoakMemory::close);
                for (PackagedApp app : apps.values()) {
                    app.close();
                }
                redis.close();
            }
        }
    }

    /** TPC-H at the replicas' scale, loaded by the load command (with the heap it needs) unless it is there. */
    private static void loadDataset(EmbeddedPostgres postgres) throws Exception {
        try (Connection connection = postgres.getDatabase("postgres", "quarry").getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM quarry_dataset WHERE name = 'tpch'")) {
            rs.next();
            if (rs.getLong(1) == 1) {
                return;
            }
        } catch (SQLException e) {
            // no database or no dataset yet: loaded below
        }
        try (PackagedApp loading = PackagedApp.start("soak-load", Map.of(), "load", "--scale", "0.01")) {
            if (loading.exitWithin(Duration.ofMinutes(10)) != 0) {
                throw new IllegalStateException("the load failed:\n" + loading.output());
            }
        }
    }

    private static List<Long> orderKeys(EmbeddedPostgres postgres) throws SQLException {
        List<Long> keys = new ArrayList<>();
        try (Connection connection = postgres.getDatabase("postgres", "quarry").getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT o_orderkey FROM orders")) {
            while (rs.next()) {
                keys.add(rs.getLong(1));
            }
        }
        return keys;
    }

    /** The service's sessions in PostgreSQL matching the condition, once they are none or SETTLE has passed. */
    private static long awaitSessions(EmbeddedPostgres postgres, String condition) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            long sessions;
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'quarry' AND "
                            + condition)) {
                rs.next();
                sessions = rs.getLong(1);
            }
            if (sessions == 0 || System.nanoTime() > deadline) {
                return sessions;
            }
            Thread.sleep(200);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
