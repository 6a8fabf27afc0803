package dev.quarry.dataset;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Rows copied into one table so far, told to the person waiting as rows and rows per second. */
final class TableProgress {

    private final String table;
    private final AtomicLong rows = new AtomicLong();
    private final AtomicInteger partsLeft;
    private final Consumer<String> out;
    private volatile long startedNanos;

    TableProgress(String table, int parts, Consumer<String> out) {
        this.table = table;
        this.partsLeft = new AtomicInteger(parts);
        this.out = out;
    }

    AtomicLong rows() {
        return rows;
    }

    synchronized void started() {
        if (startedNanos == 0) {
            startedNanos = System.nanoTime();
        }
    }

    void partDone() {
        if (partsLeft.decrementAndGet() == 0) {
            out.accept(line("done"));
        }
    }

    void reportIfRunning() {
        if (startedNanos != 0 && partsLeft.get() > 0) {
            out.accept(line("..."));
        }
    }

    private String line(String state) {
        double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
        long count = rows.get();
        return String.format("  %-10s %12s rows %7.1f s %12s rows/s  %s", table, String.format("%,d", count), seconds,
                String.format("%,.0f", count / seconds), state);
    }
}
