package dev.quarry.dataset;

/** A load refused before it starts: the heap cannot hold the generator's text pool. Its message is the one line to show. */
final class HeapTooSmallException extends RuntimeException {

    HeapTooSmallException(LoadHeap heap) {
        super(heap.shortage());
    }
}
