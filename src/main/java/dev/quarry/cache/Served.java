package dev.quarry.cache;

import java.time.Duration;
import java.time.Instant;

/**
 * A request's answer and where it came from.
 *
 * @param ttl how long the template's answers are kept; zero when they are not
 */
public record Served(Answer answer, Source source, Duration ttl) {

    /** Seconds since the answer was read from the database: the {@code Age} of a kept answer. */
    public long ageSeconds() {
        return answer.age(Instant.now()).toSeconds();
    }
}
