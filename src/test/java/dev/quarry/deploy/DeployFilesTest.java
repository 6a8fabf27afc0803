package dev.quarry.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

/**
 * deploy/: the compose stack, Prometheus' configuration and rules, Grafana's provisioning and
 * dashboard parse, refer to files that exist, and name only settings and metrics the application has
 * (the metrics as the running application exposes them). promtool itself runs in
 * deploy/verify/prometheus-and-pgbouncer.sh.
 */
@QuarkusTest
class DeployFilesTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final Pattern METRIC = Pattern.compile("\\b((?:quarry|sql_pool)_[a-z_]+)\\b");

    @Test
    void composeStackIsCompleteAndConsistent() {
        JsonNode compose = yaml(DEPLOY.resolve("compose.yaml"));
        JsonNode services = compose.get("services");
        assertThat(fieldNames(services)).containsExactlyInAnyOrder("postgres", "load", "pgbouncer", "quarry", "prometheus", "grafana");
        services.forEach(service -> assertThat(service.path("image").asText()).as("every service names its image").isNotEmpty());
        assertThat(services.at("/quarry/image").asText()).isEqualTo("quarry:latest");
        assertThat(services.at("/load/image").asText()).isEqualTo("quarry:latest");
        assertThat(services.at("/load/command")).extracting(JsonNode::asText).startsWith("load", "--scale");
        assertThat(services.at("/pgbouncer/image").asText()).matches("(bitnami|edoburu)/pgbouncer:.+");
        assertThat(services.at("/pgbouncer/environment/POOL_MODE").asText()).isEqualTo("transaction");

        Set<String> known = AppConfiguration.environmentNames();
        for (String service : List.of("quarry", "load")) {
            JsonNode environment = services.at("/" + service + "/environment");
            assertThat(environment.isObject()).as(service + " environment is a map").isTrue();
            fieldNames(environment)
                    .forEach(name -> assertThat(known).as(service + ": " + name + " is read by the application").contains(name));
        }
        assertThat(services.at("/quarry/environment/QUARKUS_DATASOURCE_REACTIVE_URL").asText()).contains("//pgbouncer:");
        assertThat(services.at("/quarry/environment/QUARKUS_DATASOURCE_REACTIVE_CACHE_PREPARED_STATEMENTS").asText()).isEqualTo("false");
        assertThat(services.at("/quarry/environment/QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_USE_LAYER7_PROXY").asText()).isEqualTo("true");
        assertThat(services.at("/quarry/environment/QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_PIPELINING_LIMIT").asText()).isEqualTo("1");
        assertThat(services.at("/quarry/environment/QUARRY_AUTH_ENABLED").isMissingNode()).as("authentication is off in compose").isTrue();
        assertThat(services.at("/quarry/environment/QUARKUS_HTTP_HOST").asText())
                .as("so the host is set, or Quarry listens on the container's loopback, out of Prometheus' and the port's reach")
                .isEqualTo("0.0.0.0");
        assertThat(services.at("/quarry/ports")).extracting(JsonNode::asText).allMatch(port -> port.startsWith("127.0.0.1:"));
        assertThat(services.at("/load/environment/QUARKUS_DATASOURCE_REACTIVE_URL").asText()).contains("//postgres:");
        assertThat(services.at("/quarry/depends_on/load/condition").asText()).isEqualTo("service_completed_successfully");

        // every bind mount's source is in the repository, and Grafana's provider reads where the dashboards are mounted
        List<String> mountTargets = new ArrayList<>();
        services.forEach(service -> service.path("volumes").forEach(volume -> {
            String[] parts = volume.asText().split(":");
            if (parts[0].startsWith("./")) {
                assertThat(DEPLOY.resolve(parts[0])).as(volume.asText()).exists();
                mountTargets.add(parts[1]);
            }
        }));
        JsonNode provider = yaml(DEPLOY.resolve("grafana/provisioning/dashboards/quarry.yml")).at("/providers/0/options/path");
        assertThat(mountTargets).contains(provider.asText(), "/etc/grafana/provisioning", "/etc/prometheus/prometheus.yml",
                "/etc/prometheus/alerts.yml");
    }

    @Test
    void prometheusScrapesTheMetricsPathAndLoadsTheRules() {
        JsonNode prometheus = yaml(DEPLOY.resolve("prometheus/prometheus.yml"));
        JsonNode job = prometheus.at("/scrape_configs/0");
        assertThat(job.path("job_name").asText()).isEqualTo("quarry");
        assertThat(job.path("metrics_path").asText()).isEqualTo("/q/metrics");
        assertThat(job.at("/static_configs/0/targets/0").asText()).isEqualTo("quarry:" + AppConfiguration.httpPort());
        prometheus.path("rule_files").forEach(file -> assertThat(DEPLOY.resolve("prometheus").resolve(file.asText())).exists());

        JsonNode rules = yaml(DEPLOY.resolve("prometheus/alerts.yml"));
        List<String> alerts = new ArrayList<>();
        rules.at("/groups/0/rules").forEach(rule -> alerts.add(rule.path("alert").asText()));
        assertThat(alerts).contains("QuarryTemplateSlow", "QuarryTemplateFailing", "QuarryPoolSaturated", "QuarryStreamsCancelled");
        String text = read(DEPLOY.resolve("prometheus/alerts.yml"));
        assertThat(text).contains("histogram_quantile(0.99", "quarry_query_seconds_bucket", "outcome=~\"error|timeout\"",
                "sql_pool_queue_size", "outcome=\"cancelled\"");
    }

    @Test
    void grafanaDashboardUsesTheProvisionedDatasource() throws IOException {
        String uid = yaml(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml")).at("/datasources/0/uid").asText();
        JsonNode dashboard = new ObjectMapper().readTree(DEPLOY.resolve("grafana/dashboards/quarry.json").toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("quarry");
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            titles.add(panel.path("title").asText());
            assertThat(panel.at("/datasource/uid").asText()).as(panel.path("title").asText()).isEqualTo(uid);
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            panel.path("targets").forEach(target -> assertThat(target.path("expr").asText()).isNotBlank());
        }
        assertThat(String.join("|", titles).toLowerCase()).contains("rate", "latency", "outcomes", "rows", "first row", "pool");
    }

    /** Metric names are only those the running application exposes, so a renamed meter breaks this, not a dashboard. */
    @Test
    void alertsAndDashboardNameMetricsTheApplicationExposes() {
        given().when().get("/queries/tpch/q06").then().statusCode(200);
        given().header("Accept", "text/event-stream").when().get("/queries/tpch/q03?_limit=2").then().statusCode(200);
        // a template that keeps its answers, twice: the cache's meters (the bytes gauge comes with the first kept answer)
        given().when().get("/queries/test/cached-rows?tag=deploy").then().statusCode(200);
        given().when().get("/queries/test/cached-rows?tag=deploy").then().statusCode(200);
        String exposition = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> exposed = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                exposed.add(line.split("[{ ]", 2)[0]);
            }
        }
        assertThat(exposed).contains("quarry_query_seconds_bucket", "quarry_query_first_row_seconds_bucket", "quarry_query_rows_total",
                "sql_pool_queue_size", "sql_pool_active", "sql_pool_idle", "quarry_cache_requests_total", "quarry_cache_bytes",
                "quarry_cache_evictions_total");
        for (Path file : List.of(DEPLOY.resolve("prometheus/alerts.yml"), DEPLOY.resolve("prometheus/alerts-test.yml"),
                DEPLOY.resolve("grafana/dashboards/quarry.json"))) {
            Matcher metric = METRIC.matcher(read(file));
            while (metric.find()) {
                assertThat(exposed).as(file + " names " + metric.group(1)).contains(metric.group(1));
            }
        }
    }

    private static JsonNode yaml(Path file) {
        List<JsonNode> documents = Kustomize.read(file);
        assertThat(documents).as(file + " is one YAML document").hasSize(1);
        return documents.get(0);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
