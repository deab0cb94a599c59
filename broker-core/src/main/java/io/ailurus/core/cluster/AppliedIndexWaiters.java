package io.ailurus.core.cluster;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/**
 * Futures waiting until this replica of the controller group has applied a log index. A command
 * forwarded to the leader is answered once the leader applied it; waiting here too means a broker
 * that forwarded a CreateTopics answers only when its own image has the topic, so the client's next
 * Metadata request (to this broker) sees it.
 */
public final class AppliedIndexWaiters {
    private final ConcurrentSkipListMap<Long, List<CompletableFuture<Void>>> waiting = new ConcurrentSkipListMap<>();
    private volatile long applied;

    /** Called after every apply (any thread). */
    public void advanceTo(long index) {
        if (index > applied) {
            applied = index;
        }
        Map<Long, List<CompletableFuture<Void>>> ready = waiting.headMap(index, true);
        while (!ready.isEmpty()) {
            Map.Entry<Long, List<CompletableFuture<Void>>> e = waiting.pollFirstEntry();
            if (e == null) {
                break;
            }
            if (e.getKey() > index) { // raced with a newer waiter; put it back
                waiting.merge(e.getKey(), e.getValue(), (a, b) -> { a.addAll(b); return a; });
                break;
            }
            e.getValue().forEach(f -> f.complete(null));
        }
    }

    /** Completes once {@code index} is applied here (at once if it already is). */
    public CompletableFuture<Void> await(long index) {
        if (index <= applied) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiting.computeIfAbsent(index, k -> new CopyOnWriteArrayList<>()).add(f);
        if (index <= applied) { // applied between the check and the registration
            f.complete(null);
        }
        return f;
    }

    public long applied() {
        return applied;
    }
}
