package dev.quarry.serve;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The slots of the streams in flight (SSE, NDJSON, CSV). Each holds a connection of the pool for as long as it
 * runs, so their number is bounded below the pool's size, and pages keep connections of their own.
 * When the server stops they all end, with a last event saying so where the format can carry one.
 */
@Singleton
public class StreamSlots {

    private static final Logger LOG = Logger.getLogger(StreamSlots.class);

    private final int max;
    private final Duration shutdownDelay;
    private final AtomicInteger open = new AtomicInteger();
    private final CompletableFuture<Void> stopping = new CompletableFuture<>();

    StreamSlots(@ConfigProperty(name = "quarry.stream.max-concurrent", defaultValue = "10") int max,
            @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> shutdownDelay) {
        this.max = max;
        this.shutdownDelay = shutdownDelay.orElse(Duration.ZERO);
    }

    /** A slot for one more stream, decided before any byte of it is sent. */
    Slot take() {
        if (stopping.isDone()) {
            throw new ShuttingDownException();
        }
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            throw new TooManyStreamsException(max);
        }
        return new Slot();
    }

    /**
     * Shutdown began: readiness reports DOWN from now on (quarkus.shutdown.delay-enabled). The streams
     * go on for the delay, while the load balancer stops routing here, and end when Quarkus starts
     * waiting for requests in flight; otherwise they would hold the shutdown for its whole timeout.
     */
    void shutdownDelayInitiated(@Observes ShutdownDelayInitiatedEvent event) {
        if (shutdownDelay.isZero() || shutdownDelay.isNegative()) {
            stop();
        } else {
            Uni.createFrom().voidItem().onItem().delayIt().by(shutdownDelay).subscribe().with(ignored -> stop());
        }
    }

    private void stop() {
        if (open.get() > 0) { // a command such as load, or an idle server, has none to tell of
            LOG.infof("Ending %d stream(s) in flight: the server is shutting down", open.get());
        }
        stopping.completeExceptionally(new ShuttingDownException());
    }

    /** One stream's slot among those in flight. */
    final class Slot {

        private final AtomicBoolean released = new AtomicBoolean();

        /** Fails with a {@link ShuttingDownException} when the server stops. */
        Uni<Void> stopped() {
            // a copy per subscriber: Mutiny cancels the future it waits on when its subscriber goes away
            return Uni.createFrom().completionStage(stopping::copy);
        }

        /** The whole response, freeing the slot however it ends (completed, failed, or the client gone). */
        <T> Multi<T> held(Multi<T> response) {
            return response.onTermination().invoke(() -> {
                if (released.compareAndSet(false, true)) {
                    open.decrementAndGet();
                }
            });
        }
    }
}
