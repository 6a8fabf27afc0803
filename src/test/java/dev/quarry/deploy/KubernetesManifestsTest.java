package dev.quarry.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Renders k8s/ (base and the overlays) and checks the manifests against the application: each
 * parses as its kind with no field the kind does not have, ports, probe paths, environment names,
 * metrics path, autoscaler target and the shutdown grace period agree with what Quarry serves and reads.
 * It runs as a Quarkus test so that the probe and metrics paths are asked of the application itself.
 */
@QuarkusTest
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Map<String, Class<?>> KINDS = Map.of(
            "Deployment", Deployment.class, "Service", Service.class, "ConfigMap", ConfigMap.class, "Secret", Secret.class,
            "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class, "PodDisruptionBudget", PodDisruptionBudget.class,
            "NetworkPolicy", NetworkPolicy.class, "Job", Job.class, "ServiceMonitor", GenericKubernetesResource.class,
            "StatefulSet", StatefulSet.class);
    private static final Set<String> HEALTH = Set.of("/q/health/live", "/q/health/ready", "/q/health/started");

    static Stream<Arguments> kustomizations() {
        return Stream.of(Arguments.of("base"), Arguments.of("overlays/dev"), Arguments.of("overlays/prod"),
                Arguments.of("overlays/citus"));
    }

    /** The rendered resources of one kustomization, typed. */
    private record Rendering(String name, List<ObjectNode> documents, List<HasMetadata> resources) {

        static Rendering of(String kustomization) {
            List<ObjectNode> documents = Kustomize.build(K8S.resolve(kustomization));
            List<HasMetadata> resources = new ArrayList<>();
            for (ObjectNode document : documents) {
                resources.add(SERIALIZATION.unmarshal(document.toString(), KubernetesResource.class) instanceof HasMetadata typed
                        ? typed : null);
            }
            return new Rendering(kustomization, documents, resources);
        }

        <T extends HasMetadata> T get(Class<T> kind, String name) {
            return resources.stream().filter(kind::isInstance).map(kind::cast)
                    .filter(resource -> resource.getMetadata().getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError(this.name + " renders no " + kind.getSimpleName() + " " + name));
        }

        <T extends HasMetadata> List<T> all(Class<T> kind) {
            return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
        }

        /** The environment of a container: envFrom ConfigMaps' and Secrets' keys, then env (values from secrets are null). */
        Map<String, String> environment(Container container) {
            Map<String, String> environment = new LinkedHashMap<>();
            for (EnvFromSource from : container.getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    environment.putAll(get(ConfigMap.class, from.getConfigMapRef().getName()).getData());
                }
                if (from.getSecretRef() != null) {
                    get(Secret.class, from.getSecretRef().getName()).getStringData().keySet().forEach(key -> environment.put(key, null));
                }
            }
            for (EnvVar variable : container.getEnv()) {
                String value = variable.getValue();
                if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
                    var reference = variable.getValueFrom().getSecretKeyRef();
                    assertThat(get(Secret.class, reference.getName()).getStringData())
                            .as("%s: secret %s has the key %s", this.name, reference.getName(), reference.getKey())
                            .containsKey(reference.getKey());
                } else if (variable.getValueFrom() != null && variable.getValueFrom().getConfigMapKeyRef() != null) {
                    var reference = variable.getValueFrom().getConfigMapKeyRef();
                    value = get(ConfigMap.class, reference.getName()).getData().get(reference.getKey());
                    assertThat(value).as("%s: config map %s has the key %s", this.name, reference.getName(), reference.getKey())
                            .isNotNull();
                }
                environment.put(variable.getName(), value);
            }
            return environment;
        }
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyManifestParsesAsItsKindWithNoUnknownField(String kustomization) {
        Rendering rendering = Rendering.of(kustomization);
        assertThat(rendering.documents()).hasSizeGreaterThanOrEqualTo(KINDS.size());
        for (int i = 0; i < rendering.documents().size(); i++) {
            JsonNode document = rendering.documents().get(i);
            String kind = document.path("kind").asText();
            String where = kustomization + ": " + kind + "/" + document.path("metadata").path("name").asText();
            assertThat(KINDS).as(where + " is a kind this test knows").containsKey(kind);
            assertThat(rendering.resources().get(i)).as(where).isInstanceOf(KINDS.get(kind));
            if (!kind.equals("ServiceMonitor")) {
                assertThat(unknownFields(rendering.resources().get(i), "")).as(where + ": fields its kind does not have").isEmpty();
            }
            if (!kustomization.equals("base")) {
                assertThat(document.path("metadata").path("namespace").asText()).as(where + " has the overlay's namespace").isNotEmpty();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void portsAndProbesAreTheApplications(String kustomization) {
        Rendering rendering = Rendering.of(kustomization);
        Deployment deployment = rendering.get(Deployment.class, "quarry");
        Container quarry = container(deployment.getSpec().getTemplate(), "quarry");
        int httpPort = AppConfiguration.httpPort();
        assertThat(httpPort).isEqualTo(8080);
        ContainerPort http = quarry.getPorts().stream().filter(port -> "http".equals(port.getName())).findFirst().orElseThrow();
        assertThat(http.getContainerPort()).as("container port = quarkus.http.port").isEqualTo(httpPort);

        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("startup", quarry.getStartupProbe());
        probes.put("readiness", quarry.getReadinessProbe());
        probes.put("liveness", quarry.getLivenessProbe());
        for (var probe : probes.entrySet()) {
            HTTPGetAction get = probe.getValue().getHttpGet();
            assertThat(get).as(probe.getKey() + " probe is an HTTP GET").isNotNull();
            assertThat(resolve(get.getPort(), quarry)).as(probe.getKey() + " probe port").isEqualTo(httpPort);
            assertThat(get.getPath()).as(probe.getKey() + " probe path").isIn(HEALTH);
        }
        assertThat(quarry.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(quarry.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(quarry.getStartupProbe().getHttpGet().getPath()).isIn("/q/health/started", "/q/health/ready");

        Service service = rendering.get(Service.class, "quarry");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .as("the Service selects Quarry's pods").containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .as("the Deployment selects its own pods").containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        ServicePort servicePort = service.getSpec().getPorts().get(0);
        assertThat(resolve(servicePort.getTargetPort(), quarry)).as("Service targetPort").isEqualTo(httpPort);

        for (Map<String, String> annotations : List.of(deployment.getSpec().getTemplate().getMetadata().getAnnotations(),
                service.getMetadata().getAnnotations())) {
            assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/port", String.valueOf(httpPort))
                    .containsEntry("prometheus.io/path", "/q/metrics");
        }

        NetworkPolicy policy = rendering.get(NetworkPolicy.class, "quarry");
        assertThat(policy.getSpec().getIngress()).flatExtracting(rule -> rule.getPorts()).extracting(NetworkPolicyPort::getPort)
                .as("the NetworkPolicy lets HTTP in").anySatisfy(port -> assertThat(resolve(port, quarry)).isEqualTo(httpPort));
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .as("the NetworkPolicy applies to Quarry's pods").containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());

        PodDisruptionBudget budget = rendering.get(PodDisruptionBudget.class, "quarry");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .as("the PodDisruptionBudget covers Quarry's pods").containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMaxUnavailable()).as("a budget that lets one pod at a time drain, even with one replica")
                .isEqualTo(new IntOrString(1));
    }

    @Test
    void theProbeAndMetricsPathsAreServedByTheApplication() {
        for (String path : HEALTH) {
            // 503 is a real answer too (not ready yet); a path that does not exist would be 404
            given().when().get(path).then().statusCode(anyOf(is(200), is(503))).body("status", notNullValue());
        }
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/metrics").then().statusCode(200);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void environmentNamesAreOnesTheApplicationReads(String kustomization) {
        Rendering rendering = Rendering.of(kustomization);
        Set<String> known = AppConfiguration.environmentNames();
        List<Container> containers = new ArrayList<>();
        containers.add(container(rendering.get(Deployment.class, "quarry").getSpec().getTemplate(), "quarry"));
        containers.add(container(rendering.get(Job.class, "quarry-load").getSpec().getTemplate(), "load"));
        for (Container container : containers) {
            Map<String, String> environment = rendering.environment(container);
            assertThat(environment).as(container.getName() + " gets the database URL, user and password")
                    .containsKeys("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
            for (String name : environment.keySet()) {
                assertThat(known.contains(name))
                        .as("%s: %s (container %s) is an environment variable the application reads", kustomization, name,
                                container.getName())
                        .isTrue();
            }
        }
        Map<String, String> quarry = rendering.environment(containers.get(0));
        assertThat(quarry).containsKeys("MP_JWT_VERIFY_PUBLICKEY", "MP_JWT_VERIFY_ISSUER", "QUARRY_CURSOR_SECRET")
                .as("authentication is on in the cluster (so Quarry listens on every interface, where the Service reaches it)")
                .containsEntry("QUARRY_AUTH_ENABLED", "true");
        Container loadContainer = containers.get(1);
        assertThat(loadContainer.getEnv()).filteredOn(variable -> variable.getName().startsWith("QUARKUS_DATASOURCE_"))
                .as("the load logs in as the writer, Quarry as the reader: different secrets")
                .allSatisfy(variable -> assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo("quarry-load-secrets"));
        assertThat(rendering.get(Secret.class, "quarry-secrets").getStringData().get("QUARKUS_DATASOURCE_USERNAME"))
                .isEqualTo(rendering.get(Secret.class, "pgbouncer-secrets").getStringData().get("DB_USER"))
                .isNotEqualTo(rendering.get(Secret.class, "quarry-load-secrets").getStringData().get("QUARKUS_DATASOURCE_USERNAME"));
        assertThat(quarry.get("QUARKUS_DATASOURCE_REACTIVE_URL")).as("Quarry goes through PgBouncer").contains("//pgbouncer:");
        // what PgBouncer's transaction pooling needs of the Vert.x client (deploy/verify shows it failing without)
        assertThat(quarry).containsEntry("QUARKUS_DATASOURCE_REACTIVE_CACHE_PREPARED_STATEMENTS", "false")
                .containsEntry("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_USE_LAYER7_PROXY", "true")
                .containsEntry("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_PIPELINING_LIMIT", "1");
        Map<String, String> load = rendering.environment(containers.get(1));
        assertThat(load.get("QUARKUS_DATASOURCE_REACTIVE_URL")).as("the load bypasses PgBouncer (session-level lock)")
                .doesNotContain("pgbouncer");
        assertThat(containers.get(1).getArgs()).as("the Job runs quarry load --scale N").startsWith("load", "--scale").hasSize(3);

        ConfigMap pgbouncer = rendering.get(ConfigMap.class, "pgbouncer-config");
        assertThat(pgbouncer.getData()).containsEntry("POOL_MODE", "transaction").containsKey("IGNORE_STARTUP_PARAMETERS");
        assertThat(pgbouncer.getData().get("IGNORE_STARTUP_PARAMETERS")).contains("extra_float_digits");
        Deployment bouncer = rendering.get(Deployment.class, "pgbouncer");
        assertThat(container(bouncer.getSpec().getTemplate(), "pgbouncer").getImage()).matches("(bitnami|edoburu)/pgbouncer:.+");
        assertThat(rendering.get(Service.class, "pgbouncer").getSpec().getSelector())
                .isEqualTo(bouncer.getSpec().getTemplate().getMetadata().getLabels().entrySet().stream()
                        .filter(label -> bouncer.getSpec().getSelector().getMatchLabels().containsKey(label.getKey()))
                        .collect(HashMap::new, (map, label) -> map.put(label.getKey(), label.getValue()), HashMap::putAll));
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void secretsHoldPlaceholdersOnly(String kustomization) {
        for (Secret secret : Rendering.of(kustomization).all(Secret.class)) {
            assertThat(secret.getData()).as("values are written as stringData, readable").isNullOrEmpty();
            secret.getStringData().forEach((key, value) -> {
                if (key.matches(".*(PASSWORD|SECRET|KEY).*")) {
                    assertThat(value).as("%s %s is a marked placeholder", secret.getMetadata().getName(), key).contains("REPLACE-ME");
                }
            });
        }
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void serviceMonitorScrapesTheMetricsPathOfTheService(String kustomization) {
        Rendering rendering = Rendering.of(kustomization);
        GenericKubernetesResource monitor = rendering.all(GenericKubernetesResource.class).stream()
                .filter(resource -> resource.getKind().equals("ServiceMonitor")).findFirst().orElseThrow();
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        Map<String, Object> spec = monitor.get("spec");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("endpoints");
        assertThat(endpoints).hasSize(1);
        assertThat(endpoints.get(0)).containsEntry("path", "/q/metrics");
        Service service = rendering.get(Service.class, "quarry");
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName).contains((String) endpoints.get(0).get("port"));
        @SuppressWarnings("unchecked")
        Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
        assertThat(service.getMetadata().getLabels()).as("the ServiceMonitor selects the Service").containsAllEntriesOf(selector);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void autoscalerTargetsTheDeployment(String kustomization) {
        Rendering rendering = Rendering.of(kustomization);
        HorizontalPodAutoscaler autoscaler = rendering.get(HorizontalPodAutoscaler.class, "quarry");
        var target = autoscaler.getSpec().getScaleTargetRef();
        assertThat(target.getKind()).isEqualTo("Deployment");
        assertThat(target.getApiVersion()).isEqualTo("apps/v1");
        Deployment deployment = rendering.get(Deployment.class, target.getName());
        assertThat(autoscaler.getSpec().getMinReplicas()).isPositive().isLessThanOrEqualTo(autoscaler.getSpec().getMaxReplicas())
                .as("the autoscaler starts where the Deployment does").isEqualTo(deployment.getSpec().getReplicas());
        assertThat(container(deployment.getSpec().getTemplate(), "quarry").getResources().getRequests())
                .as("CPU utilisation needs a CPU request").containsKey("cpu");
        if (kustomization.equals("base")) {
            assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void shutdownOutlastsTheLongestStatement(String kustomization) {
        Rendering rendering = Rendering.of(kustomization);
        Deployment deployment = rendering.get(Deployment.class, "quarry");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container quarry = container(deployment.getSpec().getTemplate(), "quarry");
        Map<String, String> environment = rendering.environment(quarry);
        Duration timeout = AppConfiguration.queryTimeout(environment);
        Duration longest = AppConfiguration.longestTimeout(environment);
        assertThat(timeout).isEqualTo(Duration.ofSeconds(30));
        assertThat(longest).as("templates with @timeout 60s").isEqualTo(Duration.ofSeconds(60));

        long preStop = 0;
        if (quarry.getLifecycle() != null && quarry.getLifecycle().getPreStop() != null) {
            List<String> command = quarry.getLifecycle().getPreStop().getExec().getCommand();
            assertThat(command).as("preStop pauses, nothing else").hasSize(2).startsWith("sleep");
            preStop = Long.parseLong(command.get(1));
        }
        assertThat(environment).containsKey("QUARKUS_SHUTDOWN_TIMEOUT");
        Duration shutdown = DurationConverter.parseDuration(environment.get("QUARKUS_SHUTDOWN_TIMEOUT"));
        Duration delay = AppConfiguration.shutdownDelay(environment);
        long grace = pod.getTerminationGracePeriodSeconds();
        assertThat(grace).as("terminationGracePeriodSeconds > the statement timeout").isGreaterThan(timeout.toSeconds());
        assertThat(shutdown).as("Quarkus waits for requests as long as the longest statement").isGreaterThanOrEqualTo(longest);
        assertThat(grace).as("the grace period covers the preStop pause, Quarkus' shutdown delay and its wait, with a margin")
                .isGreaterThan(preStop + delay.toSeconds() + shutdown.toSeconds());
    }

    @Test
    void theCitusOverlayPointsQuarryAndTheLoadAtACoordinatorWithWorkers() throws IOException {
        Rendering rendering = Rendering.of("overlays/citus");
        StatefulSet coordinator = rendering.get(StatefulSet.class, "citus-coordinator");
        StatefulSet workers = rendering.get(StatefulSet.class, "citus-worker");
        for (StatefulSet nodes : List.of(coordinator, workers)) {
            assertThat(container(nodes.getSpec().getTemplate(), "postgres").getImage()).as("the Citus project's own image")
                    .matches("citusdata/citus:13\\.2.*");
            Service service = rendering.get(Service.class, nodes.getSpec().getServiceName());
            assertThat(nodes.getSpec().getTemplate().getMetadata().getLabels()).as("Service %s selects the pods of %s",
                    service.getMetadata().getName(), nodes.getMetadata().getName()).containsAllEntriesOf(service.getSpec().getSelector());
            assertThat(service.getSpec().getClusterIP()).as("headless: each node by its own name").isEqualTo("None");
            assertThat(rendering.environment(container(nodes.getSpec().getTemplate(), "postgres")))
                    .containsEntry("POSTGRES_DB", "quarry").containsKey("POSTGRES_PASSWORD");
        }
        assertThat(workers.getSpec().getReplicas()).isEqualTo(2);

        assertThat(rendering.get(ConfigMap.class, "pgbouncer-config").getData()).as("Quarry reaches the coordinator through PgBouncer")
                .containsEntry("DB_HOST", coordinator.getSpec().getServiceName());
        Job load = rendering.get(Job.class, "quarry-load");
        assertThat(rendering.environment(container(load.getSpec().getTemplate(), "load")).get("QUARKUS_DATASOURCE_REACTIVE_URL"))
                .as("the load goes to the coordinator directly").startsWith("postgresql://citus-coordinator:5432/");
        assertThat(load.getSpec().getTemplate().getSpec().getInitContainers()).as("the load waits for the workers")
                .singleElement().satisfies(wait -> assertThat(String.join(" ", wait.getCommand())).contains("pg_dist_node"));

        Job setup = rendering.get(Job.class, "citus-setup");
        String command = String.join(" ", container(setup.getSpec().getTemplate(), "setup").getCommand());
        java.util.regex.Matcher added = java.util.regex.Pattern.compile("workers=\"([^\"]*)\"").matcher(command);
        assertThat(added.find()).as("the setup Job names the workers to add").isTrue();
        for (int i = 0; i < workers.getSpec().getReplicas(); i++) {
            String worker = workers.getMetadata().getName() + "-" + i + "." + workers.getSpec().getServiceName();
            assertThat(added.group(1).split(" ")).as("the setup Job adds worker %s", worker).contains(worker);
        }
        Map<String, String> environment = rendering.environment(container(setup.getSpec().getTemplate(), "setup"));
        assertThat(environment).containsKeys("WRITER", "WRITER_PASSWORD", "READER", "READER_PASSWORD");
        assertThat(rendering.get(ConfigMap.class, "citus-setup").getData().get("quarry-reader-role.sql"))
                .as("the setup Job's reader role is deploy/sql/quarry-reader-role.sql")
                .isEqualTo(java.nio.file.Files.readString(Path.of("deploy/sql/quarry-reader-role.sql")));
    }

    /** Where kubectl is installed, its Kustomize renders the same resources as this test's. */
    @ParameterizedTest
    @MethodSource("kustomizations")
    void kubectlKustomizeRendersTheSame(String kustomization) throws IOException, InterruptedException {
        Path kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).map(dir -> Path.of(dir, "kubectl"))
                .filter(path -> path.toFile().canExecute()).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(kubectl != null, "kubectl is not installed");
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", K8S.resolve(kustomization).toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        org.junit.jupiter.api.Assumptions.assumeTrue(process.exitValue() == 0, () -> "kubectl kustomize failed: " + output);
        Map<String, JsonNode> theirs = byKindAndName(Kustomize.parse(output));
        Map<String, JsonNode> ours = byKindAndName(new ArrayList<>(Kustomize.build(K8S.resolve(kustomization))));
        assertThat(ours.keySet()).isEqualTo(theirs.keySet());
        ours.forEach((key, resource) -> assertThat(resource).as(key).isEqualTo(theirs.get(key)));
    }

    private static Map<String, JsonNode> byKindAndName(List<JsonNode> resources) {
        Map<String, JsonNode> map = new LinkedHashMap<>();
        resources.forEach(resource -> map.put(resource.path("kind").asText() + "/" + resource.path("metadata").path("name").asText(),
                resource));
        return map;
    }

    private static Container container(PodTemplateSpec template, String name) {
        return template.getSpec().getContainers().stream().filter(container -> container.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    private static int resolve(IntOrString port, Container container) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(candidate -> port.getStrVal().equals(candidate.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal())).getContainerPort();
    }

    /**
     * Fields the YAML has that the typed model does not: fabric8 keeps them in additionalProperties
     * instead of failing, so a misspelt field (readinesProbe) would otherwise pass unseen.
     */
    private static List<String> unknownFields(Object model, String path) {
        List<String> unknown = new ArrayList<>();
        walk(model, path, unknown, new IdentityHashMap<>());
        return unknown;
    }

    private static void walk(Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                walk(element, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, element) -> walk(element, path + "." + key, unknown, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        try {
            for (PropertyDescriptor property : Introspector.getBeanInfo(value.getClass(), Object.class).getPropertyDescriptors()) {
                Method getter = property.getReadMethod();
                if (getter == null) {
                    continue;
                }
                Object child = getter.invoke(value);
                if (property.getName().equals("additionalProperties")) {
                    if (child instanceof Map<?, ?> extra) {
                        extra.keySet().forEach(key -> unknown.add(path + "." + key));
                    }
                } else {
                    walk(child, path + "." + property.getName(), unknown, seen);
                }
            }
        } catch (ReflectiveOperationException | java.beans.IntrospectionException e) {
            throw new IllegalStateException(e);
        }
    }
}
