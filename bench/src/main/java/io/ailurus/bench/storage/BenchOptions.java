package io.ailurus.bench.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage bench's command line, parsed and checked. Bad input throws {@link IllegalArgumentException} with a
 * message naming the flag, so the bench stops before it has written anything.
 *
 * @param dir            directory the bench writes under (a fresh sub-directory per run, removed at the end;
 *                       never tmpfs)
 * @param seconds        measured seconds per append case
 * @param warmupSeconds  unmeasured seconds before each case's measurement (JIT, preallocation, steady state)
 * @param partitions     the partition counts to run, one case each
 * @param inflight       batches in flight per partition (appended, not yet durable), as a producer's
 *                       {@code max.in.flight} bounds it
 * @param threads        appender threads (each owns a fixed share of the partitions: one writer per log); 0 = cores
 * @param repeat         rounds; each round runs fio and every case once, so cases interleave and medians compare
 *                       figures taken under the same background load
 * @param records        records per batch
 * @param recordBytes    value bytes per record
 * @param readMiB        at most this many MiB read back per case by the sequential read pass (0 = no read pass)
 * @param fio            whether to measure the disk with fio in the same run
 * @param debounceMicros the flusher's {@code flushDebounceMicros} (default 0, the storage default)
 * @param preallocateKiB the logs' largest zero-fill step {@code preallocateBytes} in KiB (default 32768, the storage
 *                       default; 4 = no zero-fill ahead, the file grows with each write)
 * @param fsyncParallelism threads issuing one flush round's fdatasyncs (0 = the storage default)
 * @param segmentMiB     the logs' segment size in MiB (default 1024, the storage default)
 * @param retentionMiB   per-log retention by size in MiB, 0 = keep everything (default). With retention the case
 *                       reaches a broker's steady state: retention deletes segments as fast as appends fill new ones,
 *                       and the retired files are reused as new segments (StorageConfig.segmentPoolBytes); give it
 *                       a warm-up long enough for the first deletions
 * @param segmentPoolMiB the data directory's pool of retired segment files in MiB (-1 = the storage default, 2048;
 *                       0 = no reuse: every new segment is a fresh, zero-filled file)
 * @param rateFractions  fixed-rate (open-loop) cases: targets as fractions of the same round's fio direct write
 *                       bandwidth (default 0.1 and 0.25; none without fio unless given)
 * @param rateMiBps      fixed-rate cases with absolute targets in MiB/s across all partitions (default none)
 * @param ratePartitions partition counts of the fixed-rate cases (default 16 and 1): every count runs every rate
 * @param rateSeconds    measured seconds per fixed-rate case (default: {@code seconds}, at most 10)
 */
public record BenchOptions(Path dir, int seconds, int warmupSeconds, List<Integer> partitions, int inflight,
                           int threads, int repeat, int records, int recordBytes, int readMiB, boolean fio,
                           long debounceMicros, int preallocateKiB, int fsyncParallelism, int segmentMiB,
                           int retentionMiB, int segmentPoolMiB, List<Double> rateFractions, List<Double> rateMiBps,
                           List<Integer> ratePartitions, int rateSeconds) {

    /** Default fixed-rate targets: well below saturation, where the engine's own latency shows. */
    static final List<Double> DEFAULT_RATE_FRACTIONS = List.of(0.1, 0.25);
    static final List<Integer> DEFAULT_RATE_PARTITIONS = List.of(16, 1);
    /** Default cap of a fixed-rate case's measured seconds (latency percentiles settle well before). */
    static final int DEFAULT_RATE_SECONDS_CAP = 10;

    static final String USAGE = """
            usage: StorageBench [--dir DIR] [--seconds N] [--warmup N] [--partitions 1,16,256] [--inflight N]
                                [--threads N] [--repeat N] [--records N] [--record-bytes N] [--read-mib N]
                                [--no-fio] [--debounce-us N] [--preallocate-kib N]
                                [--fsync-parallelism N] [--segment-mib N] [--retention-mib N]
                                [--segment-pool-mib N] [--rate-fraction F,...] [--rate-mibps N,...]
                                [--rate-partitions LIST] [--rate-seconds N] [--no-rate]
              --dir DIR          where to write: a fresh sub-directory is made there and removed at the end
                                 (default: java.io.tmpdir); tmpfs is refused (O_DIRECT cannot work there)
              --seconds N        measured seconds per append case (20)
              --warmup N         warm-up seconds before each case (2)
              --partitions LIST  partition counts, one case each (1,16,256)
              --inflight N       batches in flight per partition (8)
              --threads N        appender threads, 0 = number of cores (0)
              --repeat N         rounds of fio + every case, interleaved; medians are reported (1)
              --records N        records per batch (16)
              --record-bytes N   value bytes per record (1024)
              --read-mib N       MiB read back per case by the sequential read pass, 0 = skip (512)
              --no-fio           do not measure the disk with fio
              --debounce-us N    flusher debounce in microseconds (0, the storage default)
              --preallocate-kib N  largest zero-fill step of the logs in KiB, a multiple of 4 (32768, the
                                 storage default); 4 = no zero-fill ahead
              --fsync-parallelism N  threads issuing a flush round's fdatasyncs, 0 = storage default (0)
              --segment-mib N    segment size of the logs in MiB (1024)
              --retention-mib N  retention by size per log in MiB, 0 = keep all (0); with it retired segment
                                 files are reused (steady state; use a warm-up that reaches the first deletions)
              --segment-pool-mib N  retired segment files kept for reuse, MiB; 0 = none, -1 = storage default (-1)
            The cases above are saturated (closed loop: --inflight batches per partition, resent as soon as one is
            durable). Fixed-rate cases (open loop) send batches on a schedule, evenly spaced per partition and
            phase-shifted across partitions, whether earlier ones are durable or not, and measure latency from each
            batch's intended send time; they run after the saturated cases of each round, without a read pass:
              --rate-fraction F,...  targets as fractions of this round's fio direct write MiB/s (0.1,0.25;
                                 needs fio)
              --rate-mibps N,...     targets in MiB/s across all partitions (none)
              --rate-partitions LIST partition counts of the fixed-rate cases, each runs every target (16,1)
              --rate-seconds N   measured seconds per fixed-rate case (--seconds, at most 10)
              --no-rate          no fixed-rate cases
            """;

    public BenchOptions {
        if (seconds < 1 || seconds > 3600) {
            throw new IllegalArgumentException("--seconds must be between 1 and 3600, got " + seconds);
        }
        if (warmupSeconds < 0 || warmupSeconds > 600) {
            throw new IllegalArgumentException("--warmup must be between 0 and 600, got " + warmupSeconds);
        }
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("--partitions needs at least one count");
        }
        for (int p : partitions) {
            if (p < 1 || p > 10_000) {
                throw new IllegalArgumentException("--partitions: each count must be between 1 and 10000, got " + p);
            }
        }
        if (inflight < 1 || inflight > 1024) {
            throw new IllegalArgumentException("--inflight must be between 1 and 1024, got " + inflight);
        }
        if (threads < 0 || threads > 1024) {
            throw new IllegalArgumentException("--threads must be between 0 and 1024, got " + threads);
        }
        if (repeat < 1 || repeat > 100) {
            throw new IllegalArgumentException("--repeat must be between 1 and 100, got " + repeat);
        }
        if (records < 1 || records > 100_000) {
            throw new IllegalArgumentException("--records must be between 1 and 100000, got " + records);
        }
        if (recordBytes < 0 || recordBytes > (1 << 20)) {
            throw new IllegalArgumentException("--record-bytes must be between 0 and 1048576, got " + recordBytes);
        }
        if ((long) records * (recordBytes + 64) > (8L << 20)) {
            throw new IllegalArgumentException("--records x --record-bytes makes batches over 8 MiB");
        }
        if (readMiB < 0) {
            throw new IllegalArgumentException("--read-mib must be >= 0, got " + readMiB);
        }
        if (debounceMicros < 0 || debounceMicros > 1_000_000) {
            throw new IllegalArgumentException("--debounce-us must be between 0 and 1000000, got " + debounceMicros);
        }
        if (preallocateKiB < 4 || preallocateKiB % 4 != 0 || preallocateKiB > (1 << 20)) {
            throw new IllegalArgumentException("--preallocate-kib must be a multiple of 4 between 4 and 1048576, got "
                    + preallocateKiB);
        }
        if (fsyncParallelism < 0 || fsyncParallelism > 64) {
            throw new IllegalArgumentException("--fsync-parallelism must be between 0 and 64, got " + fsyncParallelism);
        }
        if (segmentMiB < 1 || segmentMiB > 2047) {
            throw new IllegalArgumentException("--segment-mib must be between 1 and 2047, got " + segmentMiB);
        }
        if (segmentPoolMiB < -1) {
            throw new IllegalArgumentException("--segment-pool-mib must be -1 (default), 0 (off) or more, got "
                    + segmentPoolMiB);
        }
        if (retentionMiB < 0) {
            throw new IllegalArgumentException("--retention-mib must be >= 0, got " + retentionMiB);
        }
        for (double f : rateFractions) {
            if (!(f > 0 && f <= 2)) {
                throw new IllegalArgumentException("--rate-fraction: each fraction must be > 0 and <= 2, got " + f);
            }
        }
        for (double m : rateMiBps) {
            if (!(m > 0 && m <= 100_000)) {
                throw new IllegalArgumentException("--rate-mibps: each rate must be > 0 and <= 100000, got " + m);
            }
        }
        if (!rateFractions.isEmpty() && !fio) {
            throw new IllegalArgumentException("--rate-fraction needs fio's bandwidth: drop --no-fio or use --rate-mibps");
        }
        if (ratePartitions.isEmpty() && !(rateFractions.isEmpty() && rateMiBps.isEmpty())) {
            throw new IllegalArgumentException("--rate-partitions needs at least one count");
        }
        for (int p : ratePartitions) {
            if (p < 1 || p > 10_000) {
                throw new IllegalArgumentException("--rate-partitions: each count must be between 1 and 10000, got "
                        + p);
            }
        }
        if (rateSeconds < 1 || rateSeconds > 3600) {
            throw new IllegalArgumentException("--rate-seconds must be between 1 and 3600, got " + rateSeconds);
        }
        partitions = List.copyOf(partitions);
        rateFractions = List.copyOf(rateFractions);
        rateMiBps = List.copyOf(rateMiBps);
        ratePartitions = List.copyOf(ratePartitions);
    }

    /** Fixed-rate cases per round. */
    int rateCases() {
        return ratePartitions.size() * (rateFractions.size() + rateMiBps.size());
    }

    /** Appender threads for a case of {@code partitionCount} partitions: never more than partitions. */
    int threadsFor(int partitionCount) {
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        return Math.max(1, Math.min(t, partitionCount));
    }

    /** Parses {@code args}; throws {@link IllegalArgumentException} on anything unknown or malformed. */
    public static BenchOptions parse(String[] args) {
        Path dir = null;
        int seconds = 20;
        int warmup = 2;
        List<Integer> partitions = List.of(1, 16, 256);
        int inflight = 8;
        int threads = 0;
        int repeat = 1;
        int records = 16;
        int recordBytes = 1024;
        int readMiB = 512;
        boolean fio = true;
        long debounce = 0;
        int preallocateKiB = 32 << 10;
        int fsyncParallelism = 0;
        int segmentMiB = 1024;
        int retentionMiB = 0;
        int segmentPoolMiB = -1;
        List<Double> rateFractions = null;
        List<Double> rateMiBps = List.of();
        List<Integer> ratePartitions = DEFAULT_RATE_PARTITIONS;
        Integer rateSeconds = null;
        boolean noRate = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--no-fio" -> fio = false;
                case "--no-rate" -> noRate = true;
                case "--dir", "--seconds", "--warmup", "--partitions", "--inflight", "--threads", "--repeat",
                     "--records", "--record-bytes", "--read-mib", "--debounce-us", "--preallocate-kib", "--fsync-parallelism",
                     "--segment-mib", "--retention-mib", "--segment-pool-mib", "--rate-fraction", "--rate-mibps",
                     "--rate-partitions", "--rate-seconds" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(flag + " needs a value");
                    }
                    String v = args[++i];
                    switch (flag) {
                        case "--dir" -> dir = Path.of(v);
                        case "--seconds" -> seconds = intValue(flag, v);
                        case "--warmup" -> warmup = intValue(flag, v);
                        case "--partitions" -> partitions = intList(flag, v);
                        case "--inflight" -> inflight = intValue(flag, v);
                        case "--threads" -> threads = intValue(flag, v);
                        case "--repeat" -> repeat = intValue(flag, v);
                        case "--records" -> records = intValue(flag, v);
                        case "--record-bytes" -> recordBytes = intValue(flag, v);
                        case "--read-mib" -> readMiB = intValue(flag, v);
                        case "--debounce-us" -> debounce = intValue(flag, v);
                        case "--preallocate-kib" -> preallocateKiB = intValue(flag, v);
                        case "--fsync-parallelism" -> fsyncParallelism = intValue(flag, v);
                        case "--segment-mib" -> segmentMiB = intValue(flag, v);
                        case "--retention-mib" -> retentionMiB = intValue(flag, v);
                        case "--segment-pool-mib" -> segmentPoolMiB = intValue(flag, v);
                        case "--rate-fraction" -> rateFractions = doubleList(flag, v);
                        case "--rate-mibps" -> rateMiBps = doubleList(flag, v);
                        case "--rate-partitions" -> ratePartitions = intList(flag, v);
                        case "--rate-seconds" -> rateSeconds = intValue(flag, v);
                        default -> throw new IllegalStateException(flag);
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument '" + flag + "'");
            }
        }
        if (dir == null) {
            // The filesystem check refuses it if it is tmpfs (as /tmp is on many systems).
            dir = Path.of(System.getProperty("java.io.tmpdir"));
        }
        if (noRate) {
            if (rateFractions != null || !rateMiBps.isEmpty()) {
                throw new IllegalArgumentException("--no-rate contradicts --rate-fraction / --rate-mibps");
            }
            rateFractions = List.of();
            ratePartitions = List.of();
        } else if (rateFractions == null) {
            // The default fractions need fio; without it only explicit --rate-mibps cases run.
            rateFractions = fio ? DEFAULT_RATE_FRACTIONS : List.of();
        }
        return new BenchOptions(dir, seconds, warmup, partitions, inflight, threads, repeat, records, recordBytes,
                readMiB, fio, debounce, preallocateKiB, fsyncParallelism, segmentMiB, retentionMiB,
                segmentPoolMiB, rateFractions, rateMiBps, ratePartitions,
                rateSeconds != null ? rateSeconds : Math.min(seconds, DEFAULT_RATE_SECONDS_CAP));
    }

    private static int intValue(String flag, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a whole number, got '" + v + "'");
        }
    }

    private static List<Double> doubleList(String flag, String v) {
        List<Double> out = new ArrayList<>();
        for (String part : v.split(",")) {
            if (!part.isBlank()) {
                try {
                    out.add(Double.parseDouble(part.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(flag + " needs numbers, got '" + part.trim() + "'");
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(flag + " needs at least one number");
        }
        return out;
    }

    private static List<Integer> intList(String flag, String v) {
        List<Integer> out = new ArrayList<>();
        for (String part : v.split(",")) {
            if (!part.isBlank()) {
                out.add(intValue(flag, part));
            }
        }
        return out;
    }
}
