package dev.quarry.blackbox;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every answer of a soak, tallied as it comes (a long run has millions): counts by status, the
 * requests with a bad value and how many were refused with a 400, each 503 with its start and end
 * (to hold against PostgreSQL's outage), and each answer that is none of those, described.
 */
final class SoakAnswers {

    /** The status of a request that got no HTTP answer at all (refused, reset, timed out). */
    static final int NO_ANSWER = -1;
    /** Described in full; past these the wrong answers are only counted. */
    private static final int DESCRIBED = 10;

    /** One 503: when its request began and ended (System.nanoTime), and the problem's title. */
    record Unavailable(long started, long ended, String title) {
    }

    private final ConcurrentMap<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final LongAdder badValues = new LongAdder();
    private final LongAdder badValuesRefused = new LongAdder();
    private final Queue<Unavailable> unavailable = new ConcurrentLinkedQueue<>();
    private final LongAdder wrong = new LongAdder();
    private final Queue<String> wrongDescribed = new ConcurrentLinkedQueue<>();

    void status(int status) {
        byStatus.computeIfAbsent(status, any -> new LongAdder()).increment();
    }

    void badValue(boolean refused) {
        badValues.increment();
        if (refused) {
            badValuesRefused.increment();
        }
    }

    void unavailable(long started, long ended, String title) {
        unavailable.add(new Unavailable(started, ended, title));
    }

    /** An answer the soak must never see: a 500, a 400 for a good value, a wrong row, no answer. */
    void wrong(String description) {
        wrong.increment();
        if (wrongDescribed.size() < DESCRIBED) {
            wrongDescribed.add(description);
        }
    }

    Map<Integer, Long> byStatus() {
        Map<Integer, Long> counts = new TreeMap<>();
        byStatus.forEach((status, count) -> counts.put(status, count.sum()));
        return counts;
    }

    long total() {
        return byStatus.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long badValues() {
        return badValues.sum();
    }

    long badValuesRefused() {
        return badValuesRefused.sum();
    }

    List<Unavailable> unavailable() {
        return List.copyOf(unavailable);
    }

    long wrong() {
        return wrong.sum();
    }

    List<String> wrongDescribed() {
        return List.copyOf(wrongDescribed);
    }
}
