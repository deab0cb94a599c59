package io.ailurus.bench.storage;

import io.ailurus.storage.AppendResult;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One appender thread of a fixed-rate case: owns a fixed set of partitions (one writer per log) and appends each
 * partition's batches at the times its {@link FixedRateSchedule} gives, whether or not earlier ones are durable yet.
 * Each batch's latency runs from its intended time to its {@code durable()} future completing, so time the thread
 * spends behind schedule counts against the engine's figure rather than vanishing from it.
 */
final class PacedAppender implements Runnable {
    /** Longest single park, so a stop request is seen promptly even when the next batch is far off. */
    private static final long MAX_PARK_NANOS = 10_000_000;

    private final List<PartitionSlot> slots;
    /** Each slot's partition number in the schedule (its phase). */
    private final int[] partitionIndex;
    /** Each slot's next batch number. */
    private final long[] sequence;
    private final FixedRateSchedule schedule;
    private final AppendSink sink;

    PacedAppender(List<PartitionSlot> slots, int[] partitionIndex, FixedRateSchedule schedule, AppendSink sink) {
        if (slots.size() != partitionIndex.length) {
            throw new IllegalArgumentException(slots.size() + " slots, " + partitionIndex.length + " indexes");
        }
        this.slots = slots;
        this.partitionIndex = partitionIndex.clone();
        this.sequence = new long[slots.size()];
        this.schedule = schedule;
        this.sink = sink;
    }

    @Override
    public void run() {
        try {
            while (!sink.stopping()) {
                // The slot whose next batch is due first (a linear scan: a thread owns at most a few hundred).
                int next = 0;
                long due = Long.MAX_VALUE;
                for (int i = 0; i < slots.size(); i++) {
                    long t = schedule.intendedNanos(partitionIndex[i], sequence[i]);
                    if (t < due) {
                        due = t;
                        next = i;
                    }
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(this, Math.min(wait, MAX_PARK_NANOS));
                    continue;
                }
                appendOne(slots.get(next), due);
                sequence[next]++;
            }
        } catch (RuntimeException e) {
            sink.fail(e);
        }
    }

    private void appendOne(PartitionSlot s, long intendedNanos) {
        AppendResult r = s.appendCounted();
        r.durable().whenComplete((ignored, error) -> {
            if (error == null) {
                sink.durable(System.nanoTime() - intendedNanos);
            } else {
                sink.fail(error);
            }
            s.inFlight.decrementAndGet();
        });
    }
}
