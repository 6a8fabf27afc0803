package dev.quarry.serve;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A request refused because its caller already has as many requests running and waiting as its quota allows. */
public class QuotaExceededException extends RuntimeException {

    private final transient CallerQuotas.Limits limits;
    private final Duration retryAfter;

    QuotaExceededException(Caller caller, CallerQuotas.Limits limits, Duration retryAfter) {
        super("caller " + caller.id() + " has " + limits.running() + " request(s) running and " + limits.waiting()
                + " waiting, the most its quota allows (quarry.quota.running, quarry.quota.waiting); try again once one has ended",
                null, false, false);
        this.limits = limits;
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** The quota, as the problem carries it. */
    public Map<String, Object> members() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("running", limits.running());
        members.put("waiting", limits.waiting());
        return members;
    }
}
