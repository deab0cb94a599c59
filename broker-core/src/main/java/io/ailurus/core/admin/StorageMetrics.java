package io.ailurus.core.admin;

import io.ailurus.admin.metrics.PublicMetrics;
import io.ailurus.storage.FlushStats;
import io.ailurus.storage.LogManager;
import io.ailurus.storage.PartitionLog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The storage engine's figures on the internal registry: the group-commit flusher's counters, an
 * fsync latency histogram (fed by the flusher's per-fsync listener), an append-to-durable latency
 * histogram (fed by its per-append listener), segments and bytes on disk.
 * Gauges read the log manager at scrape time; nothing is added to the write path but the
 * listener's one {@code Timer.record}.
 */
final class StorageMetrics implements AutoCloseable {
    private final FlushStats flush;

    private StorageMetrics(FlushStats flush) {
        this.flush = flush;
    }

    static StorageMetrics bind(LogManager logs, MeterRegistry internal) {
        FlushStats f = logs.flushStats();
        Timer fsync = Timer.builder("ailurus.storage.fsync.latency")
            .description("Duration of each fdatasync of a segment file (group commit)")
            .serviceLevelObjectives(PublicMetrics.LATENCY_BUCKETS)
            .register(internal);
        f.setFsyncLatencyListener(nanos -> fsync.record(nanos, TimeUnit.NANOSECONDS));
        Timer append = Timer.builder("ailurus.storage.append.latency")
            .description("Time from an append to a log (partition or controller) until it is written and fdatasynced")
            .serviceLevelObjectives(PublicMetrics.LATENCY_BUCKETS)
            .register(internal);
        f.setAppendLatencyListener(nanos -> append.record(nanos, TimeUnit.NANOSECONDS));
        FunctionCounter.builder("ailurus.storage.flush.rounds", f, FlushStats::flushRounds)
            .description("Group-commit rounds (write all dirty logs, fsync each dirty file once)").register(internal);
        FunctionCounter.builder("ailurus.storage.written", f, FlushStats::bytesWritten)
            .description("Entry bytes written to segment files").baseUnit("bytes").register(internal);
        FunctionCounter.builder("ailurus.storage.fsyncs", f, FlushStats::fsyncCount)
            .description("fdatasync calls").register(internal);
        FunctionCounter.builder("ailurus.storage.fsync.time", f, s -> s.fsyncNanos() / 1e9)
            .description("Total time spent in fdatasync").baseUnit("seconds").register(internal);
        FunctionCounter.builder("ailurus.storage.appends.durable", f, FlushStats::appendsCompleted)
            .description("Appends made durable").register(internal);
        Gauge.builder("ailurus.storage.pending", f, FlushStats::pendingBytes)
            .description("Bytes appended and not yet written").baseUnit("bytes").register(internal);
        Gauge.builder("ailurus.storage.segments", logs, StorageMetrics::segments)
            .description("Segment files of all logs in the data directory").register(internal);
        Gauge.builder("ailurus.storage.logs", logs, l -> l.logs().size())
            .description("Open logs (partitions and the controller)").register(internal);
        Gauge.builder("ailurus.storage.log.size", logs, LogManager::totalBytes)
            .description("Bytes of all logs in the data directory").baseUnit("bytes").register(internal);
        return new StorageMetrics(f);
    }

    private static double segments(LogManager logs) {
        long n = 0;
        for (PartitionLog log : logs.logs()) {
            n += log.segmentCount();
        }
        return n;
    }

    /** Unhooks the flusher's listeners (the registry outlives a broker restart in tests). */
    @Override
    public void close() {
        flush.setFsyncLatencyListener(null);
        flush.setAppendLatencyListener(null);
    }
}
