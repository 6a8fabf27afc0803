package dev.quarry.cache;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.ToDoubleFunction;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Answers by where they came from, per template: {@code quarry_cache_requests_total} tagged
 * {@code source} hit, stale, coalesced, shared (from the shared tier, run by another replica or
 * kept there) or miss (a miss ran in the database, and {@code quarry_query_seconds} counts it there
 * too); answers evicted to stay within the bytes;
 * answers too large to keep; and the bytes each template's kept answers hold.
 */
@Singleton
public class CacheMeters {

    private final MeterRegistry registry;
    private final ConcurrentMap<Tags, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> evictions = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> tooLarge = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Gauge> bytes = new ConcurrentHashMap<>();

    private record Tags(String template, Source source) {
    }

    CacheMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void served(String template, Source source) {
        requests.computeIfAbsent(new Tags(template, source), tags -> Counter.builder("quarry.cache.requests")
                .description(
                        "Answers by where they came from: the cache (hit, stale), a running execution (coalesced), the shared tier (shared) or the database (miss)")
                .tags("template", template, "source", source.name().toLowerCase())
                .register(registry))
                .increment();
    }

    void evicted(String template) {
        evictions(template).increment();
    }

    void tooLarge(String template) {
        tooLarge.computeIfAbsent(template, name -> Counter.builder("quarry.cache.too.large")
                .description("Answers larger than quarry.cache.max-answer-size, served and not kept")
                .tag("template", name)
                .register(registry))
                .increment();
    }

    /**
     * Registers, once per template that keeps answers, the gauge of the bytes they hold, and its
     * evictions at zero, so that a dashboard shows both from the first kept answer.
     */
    void holding(String template, ToDoubleFunction<String> heldBytes) {
        bytes.computeIfAbsent(template, name -> {
            evictions(name);
            return Gauge.builder("quarry.cache.bytes", name, heldBytes)
                    .description("Bytes held by a template's kept answers")
                    .tag("template", name)
                    .baseUnit("bytes")
                    .strongReference(true)
                    .register(registry);
        });
    }

    private Counter evictions(String template) {
        return evictions.computeIfAbsent(template, name -> Counter.builder("quarry.cache.evictions")
                .description("Kept answers evicted to stay within quarry.cache.max-size")
                .tag("template", name)
                .register(registry));
    }
}
