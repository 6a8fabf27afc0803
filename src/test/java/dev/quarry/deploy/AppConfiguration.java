package dev.quarry.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.template.Template;
import dev.quarry.template.TemplateFiles;
import io.quarkus.runtime.configuration.DurationConverter;

/**
 * What the application reads from its environment, so deployment files can be checked against it:
 * the run-time properties of the Quarkus extensions on the class path (from their configuration
 * model), and Quarry's own properties (from application.properties and the sources' config lookups).
 */
final class AppConfiguration {

    private static final Pattern QUARRY_PROPERTY = Pattern.compile("\"(quarry\\.[a-z0-9.-]+)\"");
    private static Set<String> environmentNames;

    private AppConfiguration() {
    }

    /** Every environment variable name the application reads at run time. */
    static synchronized Set<String> environmentNames() {
        if (environmentNames == null) {
            Set<String> names = new TreeSet<>();
            quarkusRuntimeProperties(names);
            quarryProperties().forEach(property -> names.add(environmentName(property)));
            microProfileJwtProperties().forEach(property -> names.add(environmentName(property)));
            environmentNames = Collections.unmodifiableSet(names);
        }
        return environmentNames;
    }

    /** The MicroProfile Config rule: every character but letters and digits becomes '_', upper case. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    /** {@code quarkus.http.port} as application.properties sets it, else Quarkus' default. */
    static int httpPort() {
        return Integer.parseInt(applicationProperties().getProperty("quarkus.http.port", "8080"));
    }

    /** The default statement timeout unless the environment sets QUARRY_QUERY_TIMEOUT. */
    static Duration queryTimeout(Map<String, String> environment) {
        String configured = environment.getOrDefault("QUARRY_QUERY_TIMEOUT",
                applicationProperties().getProperty("quarry.query.timeout", "30s"));
        return DurationConverter.parseDuration(configured);
    }

    /** How long readiness reports DOWN after SIGTERM before the server stops, unless the environment sets it. */
    static Duration shutdownDelay(Map<String, String> environment) {
        String configured = environment.getOrDefault("QUARKUS_SHUTDOWN_DELAY",
                applicationProperties().getProperty("quarkus.shutdown.delay", "0s"));
        return DurationConverter.parseDuration(configured);
    }

    /** The longest statement timeout a request can have: the default or a built-in template's {@code @timeout}. */
    static Duration longestTimeout(Map<String, String> environment) {
        Duration longest = queryTimeout(environment);
        for (Template template : TemplateFiles.load(Optional.empty()).values()) {
            if (template.header().timeout().isPresent() && template.header().timeout().get().compareTo(longest) > 0) {
                longest = template.header().timeout().get();
            }
        }
        return longest;
    }

    static Properties applicationProperties() {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static Set<String> quarryProperties() {
        Set<String> properties = new TreeSet<>();
        applicationProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("quarry."))
                .forEach(properties::add);
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                String text = Files.readString(source);
                // only the names looked up as configuration, not metric names such as quarry.query.rows
                Matcher lookup = Pattern.compile("(?:@ConfigProperty\\(name = |getValue\\(|getOptionalValue\\(|getConfigValue\\()"
                        + QUARRY_PROPERTY.pattern()).matcher(text);
                while (lookup.find()) {
                    properties.add(lookup.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** The MicroProfile JWT properties (mp.jwt.verify.publickey...), as SmallRye JWT looks them up. */
    private static Set<String> microProfileJwtProperties() {
        Set<String> properties = new TreeSet<>();
        for (var field : io.smallrye.jwt.config.JWTAuthContextInfoProvider.class.getDeclaredFields()) {
            var property = field.getAnnotation(org.eclipse.microprofile.config.inject.ConfigProperty.class);
            if (property != null && property.name().startsWith("mp.jwt.")) {
                properties.add(property.name());
            }
        }
        if (!properties.containsAll(Set.of("mp.jwt.verify.publickey", "mp.jwt.verify.issuer"))) {
            throw new IllegalStateException(
                    "SmallRye JWT no longer declares mp.jwt.verify.publickey and mp.jwt.verify.issuer: " + properties);
        }
        return properties;
    }

    private static void quarkusRuntimeProperties(Set<String> names) {
        ObjectMapper json = new ObjectMapper();
        try {
            var models = AppConfiguration.class.getClassLoader().getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
            for (URL model : Collections.list(models)) {
                try (InputStream in = model.openStream()) {
                    collect(json.readTree(in), names);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!names.contains("QUARKUS_DATASOURCE_REACTIVE_URL")) {
            throw new IllegalStateException("no Quarkus configuration model on the class path names QUARKUS_DATASOURCE_REACTIVE_URL");
        }
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            JsonNode path = node.get("path");
            if (path != null && path.has("environmentVariable") && node.has("phase")) {
                String phase = node.get("phase").asText();
                String property = path.path("property").asText();
                // run-time properties only (a build-time one set in a container changes nothing), none with a map key
                if (phase.equals("RUN_TIME") && !property.contains("\"")) {
                    names.add(path.get("environmentVariable").asText());
                }
            }
            node.forEach(child -> collect(child, names));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, names));
        }
    }
}
