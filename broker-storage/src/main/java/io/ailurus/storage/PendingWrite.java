package io.ailurus.storage;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One appended entry waiting for the flusher: where it goes, its encoded bytes as the entry header and the payload
 * (two buffers, so that a payload handed over by the caller is written from where it is, not copied behind a
 * header first: {@link PartitionLog#appendHandedOver}), and for the last entry of an append, the future to complete
 * once it is durable and the {@link System#nanoTime()} of the append call (for the append-to-durable latency).
 */
record PendingWrite(Segment segment, int position, ByteBuffer header, ByteBuffer payload, long index,
                    long endOffsetAfter, CompletableFuture<Void> future, long appendedNanos) {

    /** Header plus payload bytes: what the entry takes in the segment. */
    int size() {
        return header.remaining() + payload.remaining();
    }
}
