package io.ailurus.bench.storage;

import io.ailurus.storage.FlushStats;
import io.ailurus.storage.LogManager;
import io.ailurus.storage.PartitionLog;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One append case: P logs of one {@link LogManager} appended to concurrently by a few threads, for a warm-up and then
 * a measured window, in one of two loads:
 * <ul>
 * <li><b>saturated</b> (closed loop, {@link Appender}): a bounded number of batches in flight per partition, sent
 *     as soon as a slot frees: the engine's maximum rate, and a latency that is mostly queueing;</li>
 * <li><b>fixed rate</b> (open loop, {@link PacedAppender}): batches sent on a {@link FixedRateSchedule} whatever is
 *     in flight, latency measured from each batch's intended send time: the engine's latency below saturation.</li>
 * </ul>
 * Measures durable bytes and batches per second (futures completed in the window), the append-to-durable latency of
 * each batch (to its {@code durable()} future completing) and the flusher's rounds and fsyncs.
 */
final class AppendCase implements AppendSink {
    private static final Logger log = LoggerFactory.getLogger(AppendCase.class);
    /** Stop the measurement early rather than fill the disk (other people's work lives there too). */
    static final long MIN_FREE_BYTES = 4L << 30;
    private static final long DRAIN_TIMEOUT_NANOS = Duration.ofSeconds(60).toNanos();

    private final LogManager manager;
    private final List<PartitionSlot> slots = new ArrayList<>();
    private final int inflight;
    private final int threads;
    private final int batchBytes;
    /** Fixed-rate target in MiB/s across all partitions; 0 = saturated (closed loop). */
    private final double targetMiBps;
    /** How the fixed rate was asked for ("0.25×fio", "100MiB/s"); empty when saturated. */
    private final String rateLabel;

    private final Recorder latency = new Recorder(3);
    private final LongAdder durableBatches = new LongAdder();
    private final Object window = new Object();
    private volatile boolean stop;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** A saturated case: {@code inflight} batches in flight per partition. */
    AppendCase(LogManager manager, List<PartitionLog> logs, RecordBatchTemplate template, int inflight, int threads) {
        this(manager, logs, template, inflight, threads, 0, "");
    }

    private AppendCase(LogManager manager, List<PartitionLog> logs, RecordBatchTemplate template, int inflight,
                       int threads, double targetMiBps, String rateLabel) {
        this.manager = manager;
        this.inflight = inflight;
        this.threads = threads;
        this.batchBytes = template.sizeInBytes();
        this.targetMiBps = targetMiBps;
        this.rateLabel = rateLabel;
        for (PartitionLog l : logs) {
            slots.add(new PartitionSlot(l, template.copy()));
        }
    }

    /** A fixed-rate case: {@code targetMiBps} of batches across all partitions, evenly spaced, open loop. */
    static AppendCase fixedRate(LogManager manager, List<PartitionLog> logs, RecordBatchTemplate template,
                                int threads, double targetMiBps, String rateLabel) {
        if (!(targetMiBps > 0)) {
            throw new IllegalArgumentException("fixed rate must be > 0 MiB/s, got " + targetMiBps);
        }
        return new AppendCase(manager, logs, template, 0, threads, targetMiBps, rateLabel);
    }

    @Override
    public boolean stopping() {
        return stop || failure.get() != null;
    }

    @Override
    public void durable(long nanos) {
        // Under the window lock: the histogram swap and the counter snapshot at the window's edges
        // then see the same completions (flush lanes complete batches on several threads at once).
        synchronized (window) {
            latency.recordValue(nanos);
            durableBatches.increment();
        }
    }

    @Override
    public void fail(Throwable t) {
        if (failure.compareAndSet(null, t)) {
            log.error("append case failed: {}", t.toString());
        }
    }

    /** Runs the case; throws {@link IllegalStateException} when an append or a flush failed. */
    AppendCaseResult run(Duration warmup, Duration measure) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        // Fixed rate: the first batches are due 1 ms from now, after every thread has started.
        FixedRateSchedule schedule = targetMiBps > 0
                ? FixedRateSchedule.of(System.nanoTime() + 1_000_000, slots.size(), batchBytes, targetMiBps) : null;
        for (int t = 0; t < threads; t++) {
            List<PartitionSlot> mine = new ArrayList<>();
            List<Integer> indexes = new ArrayList<>();
            for (int i = t; i < slots.size(); i += threads) {
                mine.add(slots.get(i));
                indexes.add(i);
            }
            Runnable appender = schedule == null ? new Appender(mine, inflight, this)
                    : new PacedAppender(mine, indexes.stream().mapToInt(Integer::intValue).toArray(), schedule, this);
            workers.add(Thread.ofPlatform().name("bench-appender-" + t).daemon(true).start(appender));
        }
        String note = "";
        AppendCaseResult.Counters start;
        AppendCaseResult.Counters end;
        Histogram histogram;
        try {
            note = sleepWatching(warmup.toNanos());
            synchronized (window) {
                latency.reset();
                start = counters();
            }
            if (note.isEmpty()) {
                note = sleepWatching(measure.toNanos());
            }
            synchronized (window) {
                histogram = latency.getIntervalHistogram();
                end = counters();
            }
        } finally {
            stop = true;
            for (Thread w : workers) {
                w.join(Duration.ofSeconds(60));
                if (w.isAlive()) {
                    fail(new IllegalStateException(w.getName() + " did not stop within 60 s"));
                }
            }
            drain();
        }
        Throwable f = failure.get();
        if (f != null) {
            throw new IllegalStateException("append case with " + slots.size() + " partitions failed: " + f, f);
        }
        return new AppendCaseResult(slots.size(), threads, inflight, batchBytes, targetMiBps, rateLabel, start, end,
                histogram, note);
    }

    /** Sleeps up to {@code nanos}, returning early (with the reason) on failure or when the disk runs low. */
    private String sleepWatching(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || failure.get() != null) {
                return "";
            }
            if (manager.usableSpace() < MIN_FREE_BYTES) {
                log.warn("stopping the case early: less than {} GiB free in {}", MIN_FREE_BYTES >> 30,
                        manager.dataDir());
                return "stopped early: disk nearly full";
            }
            Thread.sleep(Math.min(Duration.ofNanos(left).toMillis() + 1, 250));
        }
    }

    /** Waits (bounded) until every batch in flight is durable, so the read pass and close see a quiet log. */
    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
        for (PartitionSlot s : slots) {
            while (s.inFlight.get() > 0) {
                if (System.nanoTime() > deadline) {
                    fail(new IllegalStateException("batches still in flight 60 s after the case stopped"));
                    return;
                }
                Thread.sleep(1);
            }
        }
    }

    private AppendCaseResult.Counters counters() {
        FlushStats fs = manager.flushStats();
        return new AppendCaseResult.Counters(System.nanoTime(), durableBatches.sum(), fs.flushRounds(),
                fs.fsyncCount(), fs.fsyncNanos(), fs.bytesWritten(), ProcessCpu.nanos(),
                ProcessCpu.diskWriteBytes());
    }
}
