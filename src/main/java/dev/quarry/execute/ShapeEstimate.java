package dev.quarry.execute;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What PostgreSQL estimated for the last runs of one statement shape (its SQL and settings), and
 * whether the estimate has shown not to depend on the values bound: as for a lookup by a unique key,
 * which the planner estimates at one row whatever the key. Such a shape's estimate is kept and reused
 * for any values; one request in {@link #RECHECK_EVERY} is planned again all the same, and an estimate
 * that differs puts the shape back to planning every request.
 */
final class ShapeEstimate {

    /** Estimates in a row, each for values other than the one before, that must agree before the estimate is kept. */
    static final int AGREEING = 8;
    /** One reuse in this many is planned again instead. */
    static final int RECHECK_EVERY = 128;

    // guarded by this
    private PlanEstimate last;
    private Object[] lastValues;
    private int agreeing;
    private long reuses;

    /** The kept estimate, when it holds for any values and this request is not one to plan again. */
    synchronized Optional<PlanEstimate> kept() {
        if (agreeing < AGREEING || ++reuses % RECHECK_EVERY == 0) {
            return Optional.empty();
        }
        return Optional.of(last);
    }

    /** Notes an estimate PostgreSQL made for these values. */
    synchronized void planned(List<Object> values, PlanEstimate estimate) {
        Object[] bound = values.toArray();
        if (!estimate.grounded()) {
            agreeing = 0;
        } else if (estimate.equals(last)) {
            if (!Arrays.deepEquals(bound, lastValues)) {
                agreeing++;
            }
        } else {
            agreeing = 1;
        }
        last = estimate;
        lastValues = bound;
    }
}
