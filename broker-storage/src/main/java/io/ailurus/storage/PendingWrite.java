package io.ailurus.storage;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One appended entry waiting for the flusher: where it goes, its encoded bytes (header + payload), and for the last
 * entry of an append, the future to complete once it is durable and the {@link System#nanoTime()} of the append
 * call (for the append-to-durable latency).
 */
record PendingWrite(Segment segment, int position, ByteBuffer bytes, long index, long endOffsetAfter,
                    CompletableFuture<Void> future, long appendedNanos) {
}
