package dev.quarry.dataset;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * What a TPC-H load needs of the heap, known before it starts, so that a heap too small for it is told
 * in one line with what to set instead of an OutOfMemoryError half-way through the load.
 * <p>
 * The generator's text pool ({@code io.trino.tpch.TextPool}) is one 300 MiB byte array whatever the scale,
 * and an array lives in one space of the heap: the whole heap under G1, ZGC and Shenandoah, but the old
 * generation alone (two thirds of it by default) under the serial and parallel collectors, one of which
 * the JVM picks in a container of less than 2 GB or one CPU. So the check is on the largest heap space,
 * not on {@link Runtime#maxMemory()} alone.
 * <p>
 * Measured with the packaged jar loading scale 0.01 at decreasing -Xmx: under G1 the load passed at 335 MiB
 * with 2 and 8 load workers and failed at 330; with 16 workers it passed at 370 and failed at 360. Under
 * the serial collector it passed with an old generation of 320 MiB (-Xmx480m) and failed with 307
 * (-Xmx460m). Hence 336 MiB and 3 MiB per worker, a few MiB above every failure.
 *
 * @param workers      the load's workers, each generating a part with its own buffers
 * @param maxMemory    what the heap may grow to ({@link Runtime#maxMemory()})
 * @param largestSpace the largest space of the heap, where the text pool has to fit
 * @param maxHeapSize  the -Xmx the JVM runs with, which the largest space is a share of
 */
record LoadHeap(int workers, long maxMemory, long largestSpace, long maxHeapSize) {

    static final long MIB = 1024 * 1024;
    private static final long TEXT_POOL = 300 * MIB;
    /** The text pool and the rest of the application while it loads. */
    private static final long BASE = 336 * MIB;
    private static final long PER_WORKER = 3 * MIB;
    /** -Xmx is suggested in steps of this. */
    private static final long STEP = 64 * MIB;

    /** This JVM's heap, for a load with that many workers. */
    static LoadHeap of(int workers) {
        long largest = ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getUsage).mapToLong(MemoryUsage::getMax).max().orElse(-1);
        long maxMemory = Runtime.getRuntime().maxMemory();
        long maxHeapSize = Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("MaxHeapSize").getValue());
        // a pool without a bound of its own (-1) may take all of the heap
        return new LoadHeap(workers, maxMemory, largest < 0 ? maxMemory : largest, maxHeapSize);
    }

    long needed() {
        return BASE + PER_WORKER * workers;
    }

    boolean suffices() {
        return largestSpace >= needed();
    }

    /** An -Xmx whose largest space holds what the load needs, keeping the share this JVM gives that space. */
    long suggestedMaxHeapSize() {
        double share = (double) largestSpace / maxHeapSize;
        long bytes = (long) Math.ceil(needed() / share);
        return (bytes + STEP - 1) / STEP * STEP;
    }

    /** The one line saying what the load needs, what it has and what to set. */
    String shortage() {
        String space = largestSpace < maxMemory
                ? ", " + largestSpace / MIB + " MB of it in its largest space, where the pool has to fit"
                : "";
        return "loading TPC-H needs about " + needed() / MIB + " MB of heap for the generator's " + TEXT_POOL / MIB
                + " MB text pool and " + workers + " load workers; this JVM may use " + maxMemory / MIB + " MB" + space
                + ": start it with -Xmx" + suggestedMaxHeapSize() / MIB + "m";
    }
}
