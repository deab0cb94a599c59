package io.ailurus.core.compaction;

import io.ailurus.storage.CleanerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The log cleaner's counters on the internal registry ({@code ailurus_storage_compaction_*}), read at scrape time. */
public final class CompactionMetrics {
    private CompactionMetrics() {}

    public static void bind(CleanerStats s, MeterRegistry registry) {
        FunctionCounter.builder("ailurus.storage.compaction.passes", s, CleanerStats::passes)
            .description("Compaction passes completed (one pass compacts one log)").register(registry);
        FunctionCounter.builder("ailurus.storage.compaction.segments.rewritten", s, CleanerStats::segmentsRewritten)
            .description("Segments replaced by a compacted copy").register(registry);
        FunctionCounter.builder("ailurus.storage.compaction.read", s, CleanerStats::bytesRead)
            .description("Segment bytes read by the log cleaner").baseUnit("bytes").register(registry);
        FunctionCounter.builder("ailurus.storage.compaction.written", s, CleanerStats::bytesWritten)
            .description("Segment bytes written by the log cleaner").baseUnit("bytes").register(registry);
        FunctionCounter.builder("ailurus.storage.compaction.records.removed", s, CleanerStats::recordsRemoved)
            .description("Records compacted away (older versions of a key, expired tombstones)").register(registry);
        FunctionCounter.builder("ailurus.storage.compaction.failures", s, CleanerStats::failures)
            .description("Compaction passes that failed and left the log as it was").register(registry);
        FunctionCounter.builder("ailurus.storage.compaction.time", s, x -> x.passNanos() / 1e9)
            .description("Time spent in compaction passes").baseUnit("seconds").register(registry);
        Gauge.builder("ailurus.storage.compaction.max.dirty.ratio", s, CleanerStats::maxDirtyRatio)
            .description("Highest share of not-yet-compacted bytes among compacted logs at the last check").register(registry);
    }
}
