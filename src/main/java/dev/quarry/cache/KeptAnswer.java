package dev.quarry.cache;

import java.time.Duration;
import java.time.Instant;

/** An answer in the local tier, with how long its template keeps answers (zero: only while it is shared). */
record KeptAnswer(Answer answer, Duration ttl) {

    boolean fresh(Instant now) {
        return answer.age(now).compareTo(ttl) < 0;
    }
}
