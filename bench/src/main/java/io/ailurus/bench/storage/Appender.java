package io.ailurus.bench.storage;

import io.ailurus.storage.AppendResult;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * One appender thread: owns a fixed set of partitions (the log allows one writer at a time) and keeps up to
 * {@code inflight} batches per partition appended but not yet durable, like a producer bounded by
 * {@code max.in.flight}. When every partition is full it parks until a durability callback frees a slot.
 */
final class Appender implements Runnable {
    /** Upper bound of one park, so a lost wake-up can only cost this much, never a hang. */
    private static final long MAX_PARK_NANOS = 1_000_000;

    private final List<PartitionSlot> slots;
    private final int inflight;
    private final AppendCase owner;
    private volatile boolean parked;
    private volatile Thread thread;

    Appender(List<PartitionSlot> slots, int inflight, AppendCase owner) {
        this.slots = slots;
        this.inflight = inflight;
        this.owner = owner;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            while (!owner.stopping()) {
                boolean appended = false;
                for (PartitionSlot s : slots) {
                    while (s.inFlight.get() < inflight && !owner.stopping()) {
                        appendOne(s);
                        appended = true;
                    }
                }
                if (!appended) {
                    parked = true;
                    // Re-check after publishing "parked": a completion that ran before it saw parked == false and
                    // did not unpark us, but its slot is free now.
                    if (!anyFree()) {
                        LockSupport.parkNanos(this, MAX_PARK_NANOS);
                    }
                    parked = false;
                }
            }
        } catch (RuntimeException e) {
            owner.fail(e);
        }
    }

    private boolean anyFree() {
        for (PartitionSlot s : slots) {
            if (s.inFlight.get() < inflight) {
                return true;
            }
        }
        return false;
    }

    private void appendOne(PartitionSlot s) {
        long t0 = System.nanoTime();
        AppendResult r = s.appendCounted();
        r.durable().whenComplete(new Completion(s, t0));
    }

    /** Called on the flusher thread: keep it short (record, free the slot, wake the appender if it sleeps). */
    private final class Completion implements BiConsumer<Void, Throwable> {
        private final PartitionSlot slot;
        private final long t0;

        Completion(PartitionSlot slot, long t0) {
            this.slot = slot;
            this.t0 = t0;
        }

        @Override
        public void accept(Void ignored, Throwable error) {
            if (error == null) {
                owner.durable(System.nanoTime() - t0);
            } else {
                owner.fail(error);
            }
            slot.inFlight.decrementAndGet();
            if (parked) {
                Thread t = thread;
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        }
    }
}
