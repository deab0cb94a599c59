package io.ailurus.bench.storage;

import io.ailurus.storage.LogConfig;
import io.ailurus.storage.LogManager;
import io.ailurus.storage.PartitionLog;
import io.ailurus.storage.StorageConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The storage engine's benchmark (a main, not a test): durable append throughput and append-to-durable latency of
 * real Kafka v2 batches for 1, 16 and 256 partitions appending concurrently, then sequential reads of what was
 * written, next to the disk's own limits measured with fio in the same run and on the same filesystem.
 * <p>Each round runs fio and then every case once, so with {@code --repeat N} cases interleave and the medians
 * compare figures taken under the same background load. Everything is written under a fresh directory that is
 * removed at the end. See {@code bench/storage-bench.sh} and {@code docs/benchmarks.md}.
 */
public final class StorageBench {
    private static final Logger log = LoggerFactory.getLogger(StorageBench.class);

    private final BenchOptions options;
    private final PrintStream out;
    private final BenchReport report;

    StorageBench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.report = new BenchReport(out);
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            new StorageBench(options, System.out).run();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            log.error("storage bench failed", e);
            System.err.println("error: storage bench failed: " + e);
            System.exit(1);
        }
    }

    /** Runs every round and prints the report; removes everything it wrote, also on failure. */
    void run() throws IOException, InterruptedException {
        String fsType = FilesystemCheck.requireDisk(options.dir());
        if (options.fio() && !FioProbe.available()) {
            throw new IllegalArgumentException("fio is not installed (apt-get install -y fio), or pass --no-fio");
        }
        Files.createDirectories(options.dir());
        Path runDir = Files.createTempDirectory(options.dir(), "ailurus-storage-bench-");
        // Killed (Ctrl-C, SIGTERM) mid-run, the finally below never runs: remove the gigabytes written anyway.
        Thread cleanup = new Thread(() -> deleteQuietly(runDir), "storage-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            printMachine(fsType, runDir);
            RecordBatchTemplate template = new RecordBatchTemplate(options.records(), options.recordBytes());
            out.printf(Locale.ROOT, "batch: %d records x %d B values = %d B (Kafka v2, uncompressed)%n",
                    template.records(), options.recordBytes(), template.sizeInBytes());
            for (int round = 1; round <= options.repeat(); round++) {
                FioResult fio = null;
                if (options.fio()) {
                    log.info("round {}: fio", round);
                    fio = new FioProbe(runDir.resolve("fio")).run();
                    report.addFio(round, fio);
                }
                for (int p : options.partitions()) {
                    runCase(round, p, Load.SATURATED, template, runDir.resolve("p" + p + "-r" + round));
                }
                for (int p : options.ratePartitions()) {
                    for (double f : options.rateFractions()) {
                        // fio is there: the options refuse fractions without it.
                        Load load = new Load(f * fio.writeMiBps(), String.format(Locale.ROOT, "%s×fio", plain(f)));
                        runCase(round, p, load, template, runDir.resolve("p" + p + "-f" + f + "-r" + round));
                    }
                    for (double m : options.rateMiBps()) {
                        Load load = new Load(m, plain(m) + "MiB/s");
                        runCase(round, p, load, template, runDir.resolve("p" + p + "-m" + m + "-r" + round));
                    }
                }
            }
            report.printSummary();
        } finally {
            deleteTree(runDir);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | RuntimeException e) {
            System.err.println("could not remove " + dir + ": " + e);
        }
    }

    /** A case's load: saturated (closed loop, {@code targetMiBps} 0) or a fixed rate with the label it was asked by. */
    private record Load(double targetMiBps, String label) {
        static final Load SATURATED = new Load(0, "");

        boolean fixedRate() {
            return targetMiBps > 0;
        }
    }

    /** 0.25 -> "0.25", 100.0 -> "100": the number as typed, for labels. */
    static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private void runCase(int round, int partitions, Load load, RecordBatchTemplate template, Path dir)
            throws IOException, InterruptedException {
        log.info("round {}: append case with {} partitions{}", round, partitions,
                load.fixedRate() ? String.format(Locale.ROOT, " at %.1f MiB/s (%s)", load.targetMiBps(), load.label())
                        : ", saturated");
        StorageConfig cfg = StorageConfig.defaults().withFlushDebounceMicros(options.debounceMicros());
        if (options.fsyncParallelism() > 0) {
            cfg = cfg.withFsyncParallelism(options.fsyncParallelism());
        }
        if (options.segmentPoolMiB() >= 0) {
            cfg = cfg.withSegmentPoolBytes((long) options.segmentPoolMiB() << 20);
        }
        LogConfig logCfg = LogConfig.defaults().withPreallocateBytes(options.preallocateKiB() << 10)
                .withSegmentBytes(options.segmentMiB() << 20);
        if (options.retentionMiB() > 0) {
            // Steady state within a short case: retention checked every 500 ms, and retired files handed to the pool
            // after 1 s instead of the 60 s a broker waits for in-flight zero-copy reads (the bench reads only after
            // the case). The pool's rate in the steady state is the same either way; only its start is earlier.
            logCfg = logCfg.withRetentionBytes((long) options.retentionMiB() << 20).withRetentionMs(-1);
            cfg = cfg.withRetentionCheckIntervalMs(500).withFileDeleteDelayMs(1000);
        }
        try (LogManager manager = LogManager.open(dir, cfg)) {
            if (!manager.directIo()) {
                throw new IllegalArgumentException(dir + ": the filesystem refused O_DIRECT; the bench measures direct"
                        + " writes, so run it on a filesystem that takes them (--dir)");
            }
            List<PartitionLog> logs = new ArrayList<>(partitions);
            for (int i = 0; i < partitions; i++) {
                logs.add(manager.openLog("bench/p-" + i, logCfg));
            }
            AppendCase c = load.fixedRate()
                    ? AppendCase.fixedRate(manager, logs, template, options.threadsFor(partitions),
                    load.targetMiBps(), load.label())
                    : new AppendCase(manager, logs, template, options.inflight(), options.threadsFor(partitions));
            long reusedBefore = manager.segmentFilesReused();
            long missesBefore = manager.segmentPoolMisses();
            report.addAppend(round, c.run(Duration.ofSeconds(options.warmupSeconds()),
                    Duration.ofSeconds(load.fixedRate() ? options.rateSeconds() : options.seconds())));
            out.printf(Locale.ROOT, "name=segment_pool run=%d partitions=%d%s reused_segment_files=%d fresh_rolls=%d"
                            + " pooled_now=%d%n", round, partitions,
                    load.fixedRate() ? " rate=" + load.label() : "", manager.segmentFilesReused() - reusedBefore,
                    manager.segmentPoolMisses() - missesBefore, manager.pooledSegmentFiles());
            // The read pass belongs to the saturated cases (the most data); fixed-rate cases measure latency only.
            if (options.readMiB() > 0 && !load.fixedRate()) {
                long budget = (long) options.readMiB() << 20;
                SequentialReader reader = new SequentialReader();
                boolean dropped = PageCache.drop();
                SequentialReader.Pass cold = reader.read(logs, budget);
                SequentialReader.Pass warm = reader.read(logs, budget);
                report.addRead(round, partitions, new BenchReport.ReadFigures(cold, dropped, warm));
            }
        } finally {
            deleteTree(dir);
        }
    }

    private void printMachine(String fsType, Path runDir) {
        out.printf(Locale.ROOT, "machine: nproc=%d mem_total=%s kernel=%s java=%s%n",
                Runtime.getRuntime().availableProcessors(), memTotal(), System.getProperty("os.version"),
                System.getProperty("java.vm.version"));
        out.printf(Locale.ROOT, "dir: %s (%s), load1 at start %.2f%n", runDir, fsType, ProcessCpu.load1());
        out.printf(Locale.ROOT, "cases: partitions=%s seconds=%d warmup=%d inflight=%d threads=%s repeat=%d"
                        + " read_mib=%d debounce_us=%d preallocate_kib=%d fsync_parallelism=%d segment_mib=%d"
                        + " retention_mib=%d segment_pool_mib=%d%n", options.partitions(),
                options.seconds(),
                options.warmupSeconds(), options.inflight(),
                options.threads() == 0 ? "cores" : String.valueOf(options.threads()), options.repeat(),
                options.readMiB(), options.debounceMicros(), options.preallocateKiB(),
                cfgParallelism(), options.segmentMiB(), options.retentionMiB(),
                options.segmentPoolMiB() >= 0 ? options.segmentPoolMiB()
                        : (int) (StorageConfig.defaults().segmentPoolBytes() >> 20));
        if (options.rateCases() > 0) {
            out.printf(Locale.ROOT, "fixed-rate cases: partitions=%s fractions_of_fio_write=%s mibps=%s seconds=%d"
                            + " (open loop, latency from each batch's intended send time)%n",
                    options.ratePartitions(), options.rateFractions(), options.rateMiBps(), options.rateSeconds());
        }
    }

    private int cfgParallelism() {
        return options.fsyncParallelism() > 0 ? options.fsyncParallelism() : StorageConfig.defaults().fsyncParallelism();
    }

    private static String memTotal() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal:")).findFirst()
                    .map(l -> String.format(Locale.ROOT, "%.1fGiB",
                            Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                    .orElse("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
