package io.ailurus.bench.storage;

import io.ailurus.storage.AppendResult;
import io.ailurus.storage.PartitionLog;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/** One partition driven by the bench: its log, its own copy of the batch and the batches it has in flight. */
final class PartitionSlot {
    final PartitionLog log;
    /** Stamped in place by every append (base offset, leader epoch); only this slot's appender touches it. */
    final ByteBuffer batch;
    final AtomicInteger inFlight = new AtomicInteger();

    PartitionSlot(PartitionLog log, ByteBuffer batch) {
        this.log = log;
        this.batch = batch;
    }

    /** Appends the batch once more, counted in flight until the caller's completion uncounts it (at once if it throws). */
    AppendResult appendCounted() {
        inFlight.incrementAndGet();
        try {
            return log.appendBatch(1, batch.duplicate());
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
        }
    }
}
