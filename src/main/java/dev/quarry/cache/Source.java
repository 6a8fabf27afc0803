package dev.quarry.cache;

/** Where a request's answer came from, as the cache's meters count it. */
public enum Source {
    /** Run in the database for this request (and for any that joined it). */
    MISS,
    /** Shared with an execution another request started. */
    COALESCED,
    /** From the shared tier (Redis): run by another replica, or kept there from an earlier execution. */
    SHARED,
    /** Kept from an earlier execution, within its time to live. */
    HIT,
    /** Kept past its time to live, within the grace, while one request refreshes it. */
    STALE;

    /** Whether it was kept from an earlier execution, so that it has an {@code Age}. */
    public boolean kept() {
        return this == HIT || this == STALE || this == SHARED;
    }
}
