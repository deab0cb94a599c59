package io.ailurus.core.partition;

import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Futures waiting for the high watermark to pass an offset ({@code acks=all} produces). Used only
 * on the partition's owner shard, so it needs no locking.
 */
final class CommitWaiters {
    private record Waiter(long offset, CompletableFuture<Void> future) {}

    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.offset, b.offset));

    /** A future completed once the high watermark is above {@code lastOffset}. */
    CompletableFuture<Void> await(long lastOffset, long highWatermark) {
        if (lastOffset < highWatermark) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiting.add(new Waiter(lastOffset, f));
        return f;
    }

    void advanceTo(long highWatermark) {
        Waiter w;
        while ((w = waiting.peek()) != null && w.offset < highWatermark) {
            waiting.poll().future.complete(null);
        }
    }

    void failAll(Throwable cause) {
        Waiter w;
        while ((w = waiting.poll()) != null) {
            w.future.completeExceptionally(cause);
        }
    }
}
