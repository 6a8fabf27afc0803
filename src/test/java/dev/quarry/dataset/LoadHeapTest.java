package dev.quarry.dataset;

import static dev.quarry.dataset.LoadHeap.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadHeapTest {

    @Test
    void aHeapOfOneSpaceIsToldTheMaxHeapItNeeds() {
        // G1 with -Xmx128m: the old generation may take all of the heap
        LoadHeap heap = new LoadHeap(2, 128 * MIB, 128 * MIB, 128 * MIB);
        assertThat(heap.suffices()).isFalse();
        assertThat(heap.shortage()).isEqualTo("loading TPC-H needs about 342 MB of heap for the generator's 300 MB text pool"
                + " and 2 load workers; this JVM may use 128 MB: start it with -Xmx384m");
    }

    @Test
    void aGenerationalHeapIsToldOfItsLargestSpaceAndGivenRoomForIt() {
        // the serial collector with -Xmx128m, as measured: the old generation is two thirds of the heap
        LoadHeap heap = new LoadHeap(2, 124 * MIB, 85 * MIB, 128 * MIB);
        assertThat(heap.shortage()).isEqualTo("loading TPC-H needs about 342 MB of heap for the generator's 300 MB text pool"
                + " and 2 load workers; this JVM may use 124 MB, 85 MB of it in its largest space, where the pool has to fit:"
                + " start it with -Xmx576m");
        // what the serial collector gives -Xmx576m: an old generation of 384 MiB
        assertThat(new LoadHeap(2, 557 * MIB, 384 * MIB, 576 * MIB).suffices()).isTrue();
    }

    @Test
    void moreWorkersNeedMore() {
        assertThat(new LoadHeap(16, 370 * MIB, 370 * MIB, 370 * MIB).suffices()).isFalse();
        assertThat(new LoadHeap(16, 370 * MIB, 370 * MIB, 370 * MIB).needed()).isEqualTo(384 * MIB);
        assertThat(new LoadHeap(2, 342 * MIB, 342 * MIB, 342 * MIB).suffices()).isTrue();
    }

    @Test
    void readsThisJvm() {
        LoadHeap heap = LoadHeap.of(4);
        assertThat(heap.maxMemory()).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(heap.largestSpace()).isPositive().isLessThanOrEqualTo(heap.maxHeapSize());
        assertThat(heap.maxHeapSize()).isGreaterThanOrEqualTo(heap.maxMemory());
    }
}
