package dev.quarry.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.encode.MediaTypes;
import dev.quarry.http.TestTokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The proof that tenants stay apart, on the packaged jar with tenancy on: authentication, the TPC-H
 * demo's tenant-scoped tables (a tenant per customer nation), row-level security with its policies
 * from deploy/sql, Quarry connected as a role they bind, and the result cache on. Two tenants' tokens
 * send thousands of random requests, concurrently, over every tenant template and every format, many
 * of them repeated so that both cached and uncached answers are read; every row is checked against
 * what the database says belongs to the tenant, read here over JDBC and not through Quarry. Every way
 * around it fails closed: a query-string tenant, a header, a filter on the tenant column, a forged or
 * another tenant's cursor, another tenant's ETag, tokens without the claim or with a claim of another
 * type. And the transaction-local setting the policies read is seen by its own transaction only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenancyIT {

    /** Numbers read exactly, as the database's decimals they are compared with. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String ROLE = "quarry_tenant_it";
    private static final String PASSWORD = "tenant-it-password";
    private static final int GERMANY = 7;
    private static final int INDIA = 8;
    private static final List<Integer> TENANTS = List.of(GERMANY, INDIA);
    private static final List<String> STATUSES = List.of("", "F", "O", "P");
    private static final int REQUESTS = 3000;
    private static final int CLIENTS = 8;
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{([^}]*)\\} (\\S+)$");

    private static EmbeddedPostgres postgres;
    private static Connection superuser;
    private static PackagedApp app;
    private static int port;
    private static final Map<Integer, String> TOKENS = new HashMap<>();
    private static final Map<Integer, Truth> TRUTH = new HashMap<>();

    private final HttpClient http = HttpClient.newHttpClient();

    /** What belongs to one tenant, as the database itself says, read over JDBC as its superuser. */
    private record Truth(Set<Long> orders, Map<String, Long> ordersByStatus, Map<Long, Total> customerTotals,
            Map<String, String> linesByMonth, Map<String, BigDecimal> revenueByMonth) {
    }

    /** A customer's orders and what they add up to. */
    private record Total(long orders, BigDecimal total) {
    }

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(PackagedApp.DATA);
        postgres = EmbeddedPostgres.builder().setDataDirectory(PackagedApp.DATA).setCleanDataDirectory(false)
                .setPort(PackagedApp.POSTGRES_PORT).setServerConfig("listen_addresses", "localhost").start();
        loadTpchOnce();
        superuser = postgres.getDatabase("postgres", "quarry").getConnection();
        try (Statement statement = superuser.createStatement()) {
            dropRowSecurity(statement);
            statement.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "' NOSUPERUSER NOBYPASSRLS");
            statement.execute("GRANT USAGE ON SCHEMA public TO " + ROLE);
            statement.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + ROLE);
            statement.execute(Files.readString(Path.of("deploy/sql/tpch-tenant-row-security.sql")));
        }
        for (int tenant : TENANTS) {
            TRUTH.put(tenant, truth(tenant));
            TOKENS.put(tenant, TestTokens.withClaim("nation", tenant));
        }
        port = PackagedApp.freePort();
        Map<String, String> environment = new HashMap<>();
        TestTokens.authenticationOn().forEach((name, value) -> environment.put(name.toUpperCase().replace('.', '_'), value));
        environment.putAll(Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(port),
                "QUARKUS_DATASOURCE_USERNAME", ROLE,
                "QUARKUS_DATASOURCE_PASSWORD", PASSWORD,
                "QUARRY_TENANT_CLAIM", "nation",
                "QUARRY_TENANT_CLAIM_TYPE", "int",
                "QUARRY_TENANT_TABLES", "customer.c_nationkey,orders.o_custkey=customer.c_custkey,lineitem.l_orderkey=orders.o_orderkey",
                "QUARRY_TENANT_ROW_SECURITY_SETTING", "quarry.tenant",
                // the shipped analyses read every nation's rows: the startup check puts them out of service
                "QUARRY_TEMPLATES_ON_ERROR", "mark-broken",
                "QUARRY_CACHE_DEFAULT_TTL", "10m"));
        app = PackagedApp.start("tenancy-it", environment);
        app.awaitReady(URI.create("http://127.0.0.1:" + port), Duration.ofMinutes(3));
    }

    /** TPC-H in the shared packaged data directory, loaded by a plain start of the jar the first time. */
    private static void loadTpchOnce() throws Exception {
        try (Connection admin = postgres.getDatabase("postgres", "postgres").getConnection();
                Statement statement = admin.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'quarry'")) {
            rs.next();
            if (rs.getInt(1) == 1) {
                return;
            }
        }
        int loaderPort = PackagedApp.freePort();
        try (PackagedApp loader = PackagedApp.start("tenancy-it-load", Map.of("QUARKUS_HTTP_PORT", Integer.toString(loaderPort)))) {
            loader.awaitReady(URI.create("http://127.0.0.1:" + loaderPort), Duration.ofMinutes(3));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (superuser != null) {
            try (Statement statement = superuser.createStatement()) {
                dropRowSecurity(statement);
            }
            superuser.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The shared data directory left as other suites expect it: no policies, no role of this test's. */
    private static void dropRowSecurity(Statement statement) throws SQLException {
        for (String table : List.of("customer", "orders", "lineitem")) {
            statement.execute("DROP POLICY IF EXISTS tenant ON " + table);
            statement.execute("ALTER TABLE " + table + " DISABLE ROW LEVEL SECURITY");
        }
        statement.execute("DROP FUNCTION IF EXISTS quarry_tenant()");
        statement.execute("DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ROLE + "') THEN DROP OWNED BY " + ROLE
                + "; DROP ROLE " + ROLE + "; END IF; END $$");
    }

    private static Truth truth(int nation) throws SQLException {
        Set<Long> orders = new HashSet<>();
        Map<String, Long> byStatus = new HashMap<>();
        Map<Long, Total> customers = new HashMap<>();
        Map<String, String> lines = new HashMap<>();
        Map<String, BigDecimal> revenue = new HashMap<>();
        try (Statement statement = superuser.createStatement()) {
            try (ResultSet rs = statement
                    .executeQuery("SELECT o_orderkey, o_orderstatus FROM orders JOIN customer ON c_custkey = o_custkey "
                            + "WHERE c_nationkey = " + nation)) {
                while (rs.next()) {
                    orders.add(rs.getLong(1));
                    byStatus.merge(rs.getString(2), 1L, Long::sum);
                    byStatus.merge("", 1L, Long::sum);
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT o_custkey, count(*), sum(o_totalprice) FROM orders "
                    + "JOIN customer ON c_custkey = o_custkey WHERE c_nationkey = " + nation + " GROUP BY o_custkey")) {
                while (rs.next()) {
                    customers.put(rs.getLong(1), new Total(rs.getLong(2), rs.getBigDecimal(3)));
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT date_trunc('month', o_orderdate)::date::text, count(*), "
                    + "sum(l_extendedprice * (1 - l_discount)) FROM lineitem JOIN orders ON o_orderkey = l_orderkey "
                    + "JOIN customer ON c_custkey = o_custkey WHERE c_nationkey = " + nation + " GROUP BY 1")) {
                while (rs.next()) {
                    lines.put(rs.getString(1), rs.getString(2));
                    revenue.put(rs.getString(1), rs.getBigDecimal(3));
                }
            }
        }
        assertThat(orders).as("orders of nation " + nation).hasSizeGreaterThan(100);
        return new Truth(orders, byStatus, customers, lines, revenue);
    }

    @Test
    @Order(1)
    void tokensWithoutTheTenantOrWithAnotherTypeAreRefusedBeforeAnyByteInEveryFormat() throws Exception {
        String noClaim = "the token carries no 'nation' claim, which names the caller's tenant";
        String wrongType = "the token's 'nation' claim is not an integer of type int, as quarry.tenant.claim-type says";
        Map<String, String> refused = Map.of(TestTokens.valid(), noClaim, TestTokens.withClaim("nation", "7"), wrongType,
                TestTokens.withClaim("nation", 7.5), wrongType, TestTokens.withClaim("nation", 4_000_000_000L), wrongType);
        for (Map.Entry<String, String> token : refused.entrySet()) {
            for (String accept : List.of(MediaTypes.JSON, MediaTypes.SSE, MediaTypes.NDJSON, MediaTypes.CSV, MediaTypes.ARROW)) {
                HttpResponse<String> response = get("/queries/tenant/orders", token.getKey(), accept);
                assertThat(response.statusCode()).as(accept).isEqualTo(403);
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(JSON.readTree(response.body()).path("detail").asText())
                        .isEqualTo("query 'tenant/orders' returns one tenant's rows: " + token.getValue());
            }
        }
        assertThat(get("/queries/tenant/orders", null, MediaTypes.JSON).statusCode()).isEqualTo(401);
        // an unknown tenant is told nothing: an empty answer, as for any tenant without rows
        JsonNode unknown = JSON.readTree(get("/queries/tenant/orders", TestTokens.withClaim("nation", 4242), MediaTypes.JSON).body());
        assertThat(unknown.path("rows")).isEmpty();
    }

    @Test
    @Order(2)
    void aQueryStringTenantIsA400AndAHeaderOrAFilterNeverReachesAnotherTenant() throws Exception {
        for (String accept : List.of(MediaTypes.JSON, MediaTypes.SSE, MediaTypes.NDJSON, MediaTypes.CSV, MediaTypes.ARROW)) {
            HttpResponse<String> response = get("/queries/tenant/orders?tenant=" + INDIA, TOKENS.get(GERMANY), accept);
            assertThat(response.statusCode()).as(accept).isEqualTo(400);
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("parameter").asText()).isEqualTo("tenant");
            assertThat(problem.path("detail").asText()).isEqualTo("parameter 'tenant' is bound from the caller's verified token, never "
                    + "from the request");
        }
        for (String header : List.of("Tenant", "X-Tenant", "X-Quarry-Tenant", "Quarry-Tenant")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/queries/tenant/orders?_limit=1000"))
                    .header("Authorization", "Bearer " + TOKENS.get(GERMANY)).header(header, Integer.toString(INDIA)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(orderKeys(JSON.readTree(response.body()).path("rows"))).as(header).isNotEmpty()
                    .allMatch(TRUTH.get(GERMANY).orders()::contains);
        }
        JsonNode filtered = JSON
                .readTree(get("/queries/tenant/orders?c_nationkey=" + INDIA, TOKENS.get(GERMANY), MediaTypes.JSON).body());
        assertThat(filtered.path("rows")).isEmpty();
        JsonNode others = JSON.readTree(get("/queries/tenant/orders?o_orderkey__in=" + String.join(",", TRUTH.get(INDIA).orders().stream()
                .limit(50).map(String::valueOf).toList()), TOKENS.get(GERMANY), MediaTypes.JSON).body());
        assertThat(others.path("rows")).isEmpty();
    }

    @Test
    @Order(3)
    void aCursorIsGoodForItsTenantOnlyAndAForgedOneIsRefused() throws Exception {
        JsonNode first = JSON.readTree(get("/queries/tenant/orders?_limit=5", TOKENS.get(GERMANY), MediaTypes.JSON).body());
        String cursor = first.path("page").path("next").asText();
        assertThat(cursor).isNotEmpty();
        JsonNode second = JSON.readTree(get("/queries/tenant/orders?_limit=5&_after=" + cursor, TOKENS.get(GERMANY), MediaTypes.JSON)
                .body());
        assertThat(orderKeys(second.path("rows"))).hasSize(5).allMatch(TRUTH.get(GERMANY).orders()::contains)
                .doesNotContainAnyElementsOf(orderKeys(first.path("rows")));
        HttpResponse<String> swapped = get("/queries/tenant/orders?_limit=5&_after=" + cursor, TOKENS.get(INDIA), MediaTypes.JSON);
        assertThat(swapped.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(swapped.body()).path("parameter").asText()).isEqualTo("_after");
        // an SSE client's Last-Event-ID is a cursor too
        HttpResponse<String> resumed = http.send(HttpRequest.newBuilder(uri("/queries/tenant/orders"))
                .header("Authorization", "Bearer " + TOKENS.get(INDIA)).header("Accept", MediaTypes.SSE)
                .header("Last-Event-ID", cursor).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(resumed.statusCode()).isEqualTo(400);
        String forged = cursor.substring(0, cursor.indexOf('.')) + ".AAAAAAAAAAAAAAAAAAAAAA";
        assertThat(get("/queries/tenant/orders?_after=" + forged, TOKENS.get(GERMANY), MediaTypes.JSON).statusCode()).isEqualTo(400);
    }

    @Test
    @Order(4)
    void anotherTenantsETagIsNeverAnswered304() throws Exception {
        String path = "/queries/tenant/orders?_limit=20&status=F";
        HttpResponse<String> germany = get(path, TOKENS.get(GERMANY), MediaTypes.JSON);
        String etag = germany.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> replayed = http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKENS.get(INDIA))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(replayed.headers().firstValue("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(etag));
        assertThat(orderKeys(JSON.readTree(replayed.body()).path("rows"))).isNotEmpty().allMatch(TRUTH.get(INDIA).orders()::contains);
        // its own ETag is still a 304 for the tenant it was given to
        HttpResponse<String> own = http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKENS.get(GERMANY))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(own.statusCode()).isEqualTo(304);
    }

    @Test
    @Order(5)
    void explainShowsTheCallersTenantBoundAndTheCountIsTheTenants() throws Exception {
        JsonNode explained = JSON.readTree(get("/queries/tenant/orders?_explain=true&status=O", TOKENS.get(INDIA), MediaTypes.JSON)
                .body());
        assertThat(explained.toString()).contains("c_nationkey = $1");
        assertThat(explained.path("values").get(0).asInt()).isEqualTo(INDIA);
        JsonNode counted = JSON.readTree(get("/queries/tenant/orders?_count=exact&_limit=1&status=O", TOKENS.get(INDIA), MediaTypes.JSON)
                .body());
        assertThat(counted.path("page").path("total").asLong()).isEqualTo(TRUTH.get(INDIA).ordersByStatus().get("O"));
    }

    @Test
    @Order(6)
    void thousandsOfRandomRequestsOfTwoTenantsConcurrentlyNeverSeeARowOfTheOther() throws Exception {
        Map<String, Double> cacheBefore = cacheRequests();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger checkedRows = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                long seed = 20261207L + client;
                done.add(clients.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < REQUESTS / CLIENTS; i++) {
                        int tenant = TENANTS.get(random.nextInt(TENANTS.size()));
                        try {
                            checkedRows.addAndGet(randomRequest(random, tenant));
                        } catch (Exception | AssertionError e) {
                            failures.add("tenant " + tenant + ": " + e.getMessage());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : done) {
                client.get();
            }
        } finally {
            clients.shutdown();
        }
        assertThat(failures).isEmpty();
        assertThat(checkedRows.get()).isGreaterThan(REQUESTS * 10);
        Map<String, Double> cacheAfter = cacheRequests();
        assertThat(cacheAfter.getOrDefault("hit", 0.0) - cacheBefore.getOrDefault("hit", 0.0)).as("answers from the cache")
                .isGreaterThan(REQUESTS / 4.0);
        assertThat(cacheAfter.getOrDefault("miss", 0.0) - cacheBefore.getOrDefault("miss", 0.0)).as("answers run for the request")
                .isGreaterThan(20);
    }

    /** One request of a tenant, of a template and a format chosen at random, its rows checked; the number of rows checked. */
    private int randomRequest(Random random, int tenant) throws Exception {
        Truth truth = TRUTH.get(tenant);
        String status = STATUSES.get(random.nextInt(STATUSES.size()));
        String statusParameter = status.isEmpty() ? "" : "status=" + status;
        return switch (random.nextInt(8)) {
            case 0, 1 -> {
                String path = "/queries/tenant/orders?" + statusParameter + "&_limit=" + List.of(10, 100, 1000).get(random.nextInt(3))
                        + (random.nextBoolean() ? "&_sort=-o_totalprice" : "") + "&_count=exact";
                JsonNode page = JSON.readTree(ok(get(path, TOKENS.get(tenant), MediaTypes.JSON)));
                List<Long> keys = orderKeys(page.path("rows"));
                assertThat(keys).as(path).allMatch(truth.orders()::contains);
                page.path("rows").forEach(row -> assertThat(row.path("c_nationkey").asInt()).isEqualTo(tenant));
                assertThat(page.path("page").path("total").asLong()).as(path).isEqualTo(truth.ordersByStatus().getOrDefault(status, 0L));
                yield keys.size();
            }
            case 2 -> streamed(tenant, MediaTypes.NDJSON, statusParameter, body -> {
                List<Long> keys = new ArrayList<>();
                for (String line : body.lines().toList()) {
                    keys.add(JSON.readTree(line).path("o_orderkey").asLong());
                }
                return keys;
            });
            case 3 -> streamed(tenant, MediaTypes.CSV, statusParameter, body -> {
                List<String> lines = body.lines().toList();
                assertThat(lines.get(0)).startsWith("o_orderkey,");
                return lines.subList(1, lines.size()).stream().map(line -> Long.parseLong(line.substring(0, line.indexOf(',')))).toList();
            });
            case 4 -> streamed(tenant, MediaTypes.SSE, statusParameter, body -> {
                List<Long> keys = new ArrayList<>();
                String event = "";
                for (String line : body.lines().toList()) {
                    if (line.startsWith("event:")) {
                        event = line.substring("event:".length());
                    } else if (line.startsWith("data:") && event.equals("row")) {
                        keys.add(JSON.readTree(line.substring("data:".length())).path("o_orderkey").asLong());
                    }
                }
                return keys;
            });
            case 5 -> {
                HttpResponse<byte[]> response = http.send(
                        request("/queries/tenant/orders?" + statusParameter, TOKENS.get(tenant), MediaTypes.ARROW),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(response.statusCode()).isEqualTo(200);
                List<Long> keys = arrowOrderKeys(response.body());
                assertThat(keys).allMatch(truth.orders()::contains).hasSize(truth.ordersByStatus().getOrDefault(status, 0L).intValue());
                yield keys.size();
            }
            case 6 -> {
                String accept = random.nextBoolean() ? MediaTypes.JSON : MediaTypes.NDJSON;
                String body = ok(get("/queries/tenant/customer-revenue?_limit=1000", TOKENS.get(tenant), accept));
                List<JsonNode> rows = new ArrayList<>();
                if (accept.equals(MediaTypes.JSON)) {
                    JSON.readTree(body).path("rows").forEach(rows::add);
                } else {
                    for (String line : body.lines().toList()) {
                        rows.add(JSON.readTree(line));
                    }
                }
                assertThat(rows).hasSize(truth.customerTotals().size());
                for (JsonNode row : rows) {
                    Total total = truth.customerTotals().get(row.path("c_custkey").asLong());
                    assertThat(total).as("customer %s of tenant %s", row.path("c_custkey"), tenant).isNotNull();
                    assertThat(row.path("orders").asLong()).isEqualTo(total.orders());
                    assertThat(row.path("total").decimalValue()).isEqualByComparingTo(total.total());
                }
                yield rows.size();
            }
            default -> {
                JsonNode page = JSON.readTree(ok(get("/queries/tenant/sales?_group=month&_measures=revenue,lines&_limit=1000",
                        TOKENS.get(tenant), MediaTypes.JSON)));
                assertThat(page.path("rows")).hasSize(truth.linesByMonth().size());
                for (JsonNode row : page.path("rows")) {
                    String month = row.path("month").asText();
                    assertThat(row.path("lines").asText()).as(month).isEqualTo(truth.linesByMonth().get(month));
                    assertThat(row.path("revenue").decimalValue()).as(month)
                            .isEqualByComparingTo(truth.revenueByMonth().get(month));
                }
                yield page.path("rows").size();
            }
        };
    }

    /** Reads a stream's order keys out of its body. */
    private interface Keys {
        List<Long> of(String body) throws IOException;
    }

    /** A whole stream of the tenant's orders: every one of them, and none of another tenant's. */
    private int streamed(int tenant, String accept, String statusParameter, Keys keys) throws Exception {
        String status = statusParameter.isEmpty() ? "" : statusParameter.substring("status=".length());
        List<Long> found = keys.of(ok(get("/queries/tenant/orders?" + statusParameter, TOKENS.get(tenant), accept)));
        assertThat(found).as(accept).allMatch(TRUTH.get(tenant).orders()::contains)
                .hasSize(TRUTH.get(tenant).ordersByStatus().getOrDefault(status, 0L).intValue()).doesNotHaveDuplicates();
        return found.size();
    }

    @Test
    @Order(7)
    void noMeterIsTaggedWithATenant() throws Exception {
        String metrics = get("/q/metrics", null, "text/plain").body();
        assertThat(metrics).contains("quarry_query_seconds_count{").contains("template=\"tenant/orders\"");
        for (String line : metrics.lines().filter(line -> line.startsWith("quarry_")).toList()) {
            assertThat(line).doesNotContain("tenant=").doesNotContain("nation=");
        }
    }

    @Test
    @Order(8)
    void theTenantSettingIsSeenByItsOwnTransactionOnlyAndThePoliciesBindQuarrysRole() throws Exception {
        try (Connection reader = postgres.getDatabase(ROLE, "quarry").getConnection(); Statement statement = reader.createStatement()) {
            assertThat(single(statement, "SELECT count(*) FROM orders")).as("no tenant: no row").isEqualTo("0");
            reader.setAutoCommit(false);
            statement.execute("SELECT set_config('quarry.tenant', '" + GERMANY + "', true)");
            assertThat(Long.parseLong(single(statement, "SELECT count(*) FROM orders"))).isEqualTo(TRUTH.get(GERMANY).orders().size());
            assertThat(Long.parseLong(single(statement, "SELECT count(*) FROM lineitem WHERE l_orderkey = ANY (SELECT o_orderkey "
                    + "FROM orders)"))).isEqualTo(Long.parseLong(single(statement, "SELECT count(*) FROM lineitem")));
            reader.commit();
            assertThat(single(statement, "SELECT current_setting('quarry.tenant', true)")).isEmpty();
            assertThat(single(statement, "SELECT count(*) FROM orders")).as("the next transaction on the same session").isEqualTo("0");
            reader.commit();
        }
    }

    @Test
    @Order(9)
    void configurationThatCannotBeRightStopsStartupWithOneLine() throws Exception {
        String tables = "customer.c_nationkey,orders.o_custkey=customer.c_custkey";
        assertStops(Map.of("QUARRY_TENANT_TABLES", "customers.c_nationkey"), "^quarry\\.tenant\\.tables: customers\\.c_nationkey names "
                + "the table customers, which the database does not have \\(on its search path\\)$");
        assertStops(Map.of("QUARRY_TENANT_TABLES", "customer.c_nation"),
                "^quarry\\.tenant\\.tables: customer\\.c_nation names the column c_nation, which customer does not have$");
        // the shipped analyses read every nation's orders without binding :tenant
        assertStops(Map.of("QUARRY_TENANT_TABLES", tables),
                "^queries/(analysis|tpch)/[a-z0-9-]+\\.sql:[0-9]+: reads the tenant-scoped tables? [a-z, ]+ but does not bind :tenant.*");
        // row-level security, with Quarry connected as the superuser, whom no policy binds
        assertStops(Map.of("QUARRY_TENANT_TABLES", tables, "QUARRY_TENANT_ROW_SECURITY_SETTING", "quarry.tenant",
                "QUARRY_TEMPLATES_ON_ERROR", "mark-broken"),
                "^quarry\\.tenant\\.row-security\\.setting is set, but Quarry "
                        + "connects as postgres, a superuser or a role with BYPASSRLS.*");
    }

    /** The jar with tenancy on and these settings stops at startup with exit code 1 and one line matching {@code line}. */
    private static void assertStops(Map<String, String> settings, String line) throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of("QUARKUS_HTTP_PORT", Integer.toString(PackagedApp.freePort()),
                "QUARRY_TENANT_CLAIM", "nation", "QUARRY_TENANT_CLAIM_TYPE", "int"));
        environment.putAll(settings);
        try (PackagedApp stopped = PackagedApp.start("tenancy-it-stops", environment)) {
            assertThat(stopped.exitWithin(Duration.ofMinutes(3))).isEqualTo(1);
            String output = stopped.output();
            assertThat(output.lines().filter(text -> text.matches(line))).as(output).hasSize(1);
            assertThat(output).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("Failed to start");
        }
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<Long> arrowOrderKeys(byte[] stream) throws IOException {
        List<Long> keys = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
                ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                for (int i = 0; i < root.getRowCount(); i++) {
                    keys.add(((Number) root.getVector("o_orderkey").getObject(i)).longValue());
                    assertThat(((Number) root.getVector("c_nationkey").getObject(i)).intValue()).isIn(TENANTS);
                }
            }
        }
        return keys;
    }

    private static List<Long> orderKeys(JsonNode rows) {
        List<Long> keys = new ArrayList<>();
        rows.forEach(row -> keys.add(row.path("o_orderkey").asLong()));
        return keys;
    }

    private Map<String, Double> cacheRequests() throws Exception {
        Map<String, Double> bySource = new HashMap<>();
        for (String line : get("/q/metrics", null, "text/plain").body().lines().toList()) {
            Matcher sample = SAMPLE.matcher(line);
            if (sample.matches() && sample.group(1).equals("quarry_cache_requests_total")
                    && sample.group(2).contains("template=\"tenant/")) {
                Matcher source = Pattern.compile("source=\"([a-z]+)\"").matcher(sample.group(2));
                if (source.find()) {
                    bySource.merge(source.group(1), Double.parseDouble(sample.group(3)), Double::sum);
                }
            }
        }
        return bySource;
    }

    private static String ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> get(String path, String token, String accept) throws IOException, InterruptedException {
        return http.send(request(path, token, accept), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String path, String token, String accept) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).header("Accept", accept).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
