package dev.quarry.execute;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.quarry.template.ResultColumn;
import dev.quarry.template.Template;
import dev.quarry.template.TemplateException;
import dev.quarry.template.TemplateFiles;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The templates this service runs, each confirmed by PostgreSQL at startup. A broken template stops
 * startup with {@code file:line: reason}, or, with {@code quarry.templates.on-error=mark-broken}, is
 * kept aside and answers 503 while the others serve.
 */
@Singleton
public class Catalog {

    private static final Logger LOG = Logger.getLogger(Catalog.class);

    private final Pool pool;
    private final TenancySettings tenancy;
    private final Optional<Path> directory;
    private final boolean failOnError;
    private final boolean checkOnStart;
    private volatile Map<String, CheckedTemplate> templates = Map.of();

    Catalog(Pool pool, TenancySettings tenancy,
            @ConfigProperty(name = "quarry.templates.directory") Optional<Path> directory,
            @ConfigProperty(name = "quarry.templates.on-error", defaultValue = "fail") String onError,
            @ConfigProperty(name = "quarry.templates.check-on-start", defaultValue = "true") boolean checkOnStart) {
        this.pool = pool;
        this.tenancy = tenancy;
        this.directory = directory;
        this.checkOnStart = checkOnStart;
        if (!onError.equals("fail") && !onError.equals("mark-broken")) {
            throw new IllegalArgumentException("quarry.templates.on-error is fail or mark-broken, not " + onError);
        }
        this.failOnError = onError.equals("fail");
    }

    void load(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 20) StartupEvent event) {
        if (!checkOnStart) {
            return;
        }
        try {
            reload();
        } catch (TemplateException e) {
            // Quarkus prints a ConfigurationException without a cause as its message alone: one line
            // naming the file, the line and the reason, rather than a stack trace around it
            throw new ConfigurationException(e.getMessage());
        }
    }

    /** Reads every template again and has the database check each. */
    public void reload() {
        Map<String, Template> parsed = TemplateFiles.load(directory);
        SqlConnection connection = pool.getConnection().await().indefinitely();
        try {
            TemplateChecker checker = new TemplateChecker(connection, TenantScope.resolve(connection, tenancy),
                    tenancy.enabled() ? Optional.of(tenancy.claimType()) : Optional.empty());
            Map<String, CheckedTemplate> checked = new LinkedHashMap<>();
            for (Template template : parsed.values()) {
                checked.put(template.name(), check(checker, template));
            }
            templates = Map.copyOf(checked);
        } finally {
            connection.closeAndAwait();
        }
        long broken = templates.values().stream().filter(template -> template.broken().isPresent()).count();
        LOG.infof("%d templates checked against the database%s", templates.size(), broken == 0 ? "" : ", " + broken + " broken");
    }

    private CheckedTemplate check(TemplateChecker checker, Template template) {
        try {
            List<ResultColumn> columns = checker.check(template);
            return new CheckedTemplate(template, columns, Optional.empty(), checker.checkRollups(template));
        } catch (TemplateException e) {
            if (failOnError) {
                throw e;
            }
            LOG.errorf("Template %s is broken and answers 503: %s", template.name(), e.getMessage());
            return new CheckedTemplate(template, List.of(), Optional.of(e.getMessage()), Map.of());
        }
    }

    public Optional<CheckedTemplate> find(String name) {
        return Optional.ofNullable(templates.get(name));
    }

    public Collection<CheckedTemplate> all() {
        return templates.values().stream().sorted(java.util.Comparator.comparing(CheckedTemplate::name)).toList();
    }
}
