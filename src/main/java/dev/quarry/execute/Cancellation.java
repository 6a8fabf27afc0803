package dev.quarry.execute;

import java.util.ArrayList;
import java.util.List;

/**
 * Said once, when nobody waits any longer for some work: a page's client left, or every client that
 * shared one execution did. What listens runs once, at once if it was said already.
 */
public final class Cancellation {

    /** For work that runs to its end whoever waits for it, such as an answer that is kept for the next request. */
    public static final Cancellation NEVER = new Cancellation();

    // guarded by this; null once said
    private List<Runnable> listeners = new ArrayList<>(1);

    /** Says it: each listener runs once, on this thread. */
    public void cancel() {
        if (this == NEVER) {
            throw new IllegalStateException("work that runs to its end cannot be cancelled");
        }
        List<Runnable> told;
        synchronized (this) {
            told = listeners;
            listeners = null;
        }
        if (told != null) {
            told.forEach(Runnable::run);
        }
    }

    public synchronized boolean cancelled() {
        return listeners == null;
    }

    /** Runs {@code listener} when it is said, or now if it has been. */
    public void whenCancelled(Runnable listener) {
        if (this == NEVER) {
            return;
        }
        synchronized (this) {
            if (listeners != null) {
                listeners.add(listener);
                return;
            }
        }
        listener.run();
    }
}
