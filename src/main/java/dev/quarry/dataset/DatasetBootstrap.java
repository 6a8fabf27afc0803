package dev.quarry.dataset;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.quarry.database.EmbeddedDatabase;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Gives the embedded database its dataset on the first start, so one command shows real data.
 * A configured (external) database is never written to at startup: it is loaded with the
 * {@code load} command.
 */
@Singleton
public class DatasetBootstrap {

    private static final Logger LOG = Logger.getLogger(DatasetBootstrap.class);

    void loadIfEmpty(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event,
            EmbeddedDatabase embedded, DatasetLoader loader, PublishStep publishStep,
            @ConfigProperty(name = "quarry.dataset.load-on-start") String scale) {
        if (!embedded.isActive() || scale.equals("none")) {
            return;
        }
        loader.current().ifPresentOrElse(
                dataset -> LOG.infof("TPC-H scale %s is loaded (%,d rows)", dataset.scale().toPlainString(), dataset.rows()),
                () -> loadAtFirstStart(loader, ScaleFactor.parse(scale), publishStep));
    }

    private static void loadAtFirstStart(DatasetLoader loader, ScaleFactor scale, PublishStep publishStep) {
        try {
            loader.load(scale, false, LOG::info, publishStep);
        } catch (HeapTooSmallException e) {
            // Quarkus prints a ConfigurationException without a cause as its message alone: one line
            throw new ConfigurationException(e.getMessage() + ", or set quarry.dataset.load-on-start=none and load it with"
                    + " the load command from a bigger JVM");
        }
    }
}
