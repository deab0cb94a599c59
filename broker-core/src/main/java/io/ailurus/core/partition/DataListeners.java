package io.ailurus.core.partition;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-shot "new data is readable" callbacks for long-polling fetches; safe from any thread. A fetch
 * that is answered for another reason cancels its registration, so idle partitions do not collect
 * stale listeners.
 */
final class DataListeners {
    private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();

    /** Registers {@code listener}; the returned action removes it again. */
    Runnable add(Runnable listener) {
        Runnable once = new Runnable() {
            @Override
            public void run() {
                if (listeners.remove(this)) {
                    listener.run();
                }
            }
        };
        listeners.add(once);
        return () -> listeners.remove(once);
    }

    void fire() {
        for (Runnable r : listeners) {
            r.run();
        }
    }

    int size() {
        return listeners.size();
    }
}
