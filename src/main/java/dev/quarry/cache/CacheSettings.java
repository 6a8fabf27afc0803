package dev.quarry.cache;

import java.time.Duration;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.quarry.template.Template;
import io.quarkus.runtime.configuration.MemorySize;

/**
 * How answers are kept: a template's {@code @cache}, else {@code quarry.cache.default-ttl} (none
 * unless set); the bytes all kept answers may hold, and one answer at most (a larger one is
 * streamed and not kept); the grace after expiry in which one request refreshes an answer while
 * the others still get the old one.
 */
@Singleton
public class CacheSettings {

    private final Optional<Duration> defaultTtl;
    private final long maxBytes;
    private final long maxAnswerBytes;
    private final Duration grace;

    CacheSettings(@ConfigProperty(name = "quarry.cache.default-ttl") Optional<Duration> defaultTtl,
            @ConfigProperty(name = "quarry.cache.max-size", defaultValue = "256M") MemorySize maxSize,
            @ConfigProperty(name = "quarry.cache.max-answer-size", defaultValue = "16M") MemorySize maxAnswerSize,
            @ConfigProperty(name = "quarry.cache.stale-grace", defaultValue = "10s") Duration grace) {
        this.defaultTtl = defaultTtl.filter(ttl -> !ttl.isNegative());
        this.maxBytes = maxSize.asLongValue();
        this.maxAnswerBytes = Math.min(maxAnswerSize.asLongValue(), maxBytes);
        this.grace = grace.isNegative() ? Duration.ZERO : grace;
    }

    /** How long the template's answers are kept: zero for not at all. */
    public Duration ttl(Template template) {
        return template.header().cache().or(() -> defaultTtl).orElse(Duration.ZERO);
    }

    public long maxBytes() {
        return maxBytes;
    }

    public long maxAnswerBytes() {
        return maxAnswerBytes;
    }

    public Duration grace() {
        return grace;
    }
}
