package io.ailurus.bench.storage;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Collects every round's figures, prints one {@code key=value} line per measurement as it arrives (for scripts),
 * and at the end a Markdown table of medians across rounds with the two goals judged against fio's
 * figures from the same run: throughput on the saturated case at {@value #GOAL_PARTITIONS} partitions, latency on
 * the fixed-rate cases at {@value #GOAL_PARTITIONS} partitions (a saturated case's p99 is queueing: shown, labelled,
 * not judged).
 */
final class BenchReport {
    /** Throughput goal: durable append bandwidth at this many partitions ... */
    static final int GOAL_PARTITIONS = 16;
    /** ... at least this share of fio's direct write bandwidth. */
    static final double GOAL_BANDWIDTH_SHARE = 0.80;
    /** Latency goal: append-to-durable p99 at most this multiple of fio's fdatasync p99. */
    static final double GOAL_P99_FACTOR = 2.0;

    private final PrintStream out;
    private final List<FioResult> fio = new ArrayList<>();
    /** Saturated cases first, then fixed-rate ones; each by partitions, then in the order the rates came. */
    private final Map<CaseKey, List<AppendCaseResult>> appends = new TreeMap<>();
    private final List<String> rateOrder = new ArrayList<>();
    private final Map<Integer, List<ReadFigures>> reads = new TreeMap<>();

    /** A case's read pass: cold (after dropping the page cache, if that was allowed) and warm. */
    record ReadFigures(SequentialReader.Pass cold, boolean cacheDropped, SequentialReader.Pass warm) {
    }

    /** One row of the table: a partition count under one load ({@code rate} empty = saturated). */
    private record CaseKey(int partitions, String rate, int rateOrder) implements Comparable<CaseKey> {
        @Override
        public int compareTo(CaseKey o) {
            int c = Boolean.compare(!rate.isEmpty(), !o.rate.isEmpty());
            if (c == 0) {
                c = Integer.compare(partitions, o.partitions);
            }
            return c != 0 ? c : Integer.compare(rateOrder, o.rateOrder);
        }

        String label() {
            return rate.isEmpty() ? "append " + partitions + "p saturated" : "append " + partitions + "p at " + rate;
        }
    }

    BenchReport(PrintStream out) {
        this.out = out;
    }

    void addFio(int round, FioResult r) {
        fio.add(r);
        out.printf(Locale.ROOT, "name=fio run=%d seqwrite_direct_1m_mibps=%.0f fdatasync_16k_p50_us=%.0f"
                        + " fdatasync_16k_p99_us=%.0f fdatasync_16k_p999_us=%.0f write_16k_p99_us=%.0f"
                        + " fdatasync_16k_iops=%.0f load1=%.2f%n", round, r.writeMiBps(), r.syncP50Micros(),
                r.syncP99Micros(), r.syncP999Micros(), r.writeP99Micros(), r.syncIops(), ProcessCpu.load1());
    }

    void addAppend(int round, AppendCaseResult r) {
        if (!rateOrder.contains(r.rateLabel())) {
            rateOrder.add(r.rateLabel());
        }
        appends.computeIfAbsent(new CaseKey(r.partitions(), r.rateLabel(), rateOrder.indexOf(r.rateLabel())),
                k -> new ArrayList<>()).add(r);
        String name = r.fixedRate()
                ? String.format(Locale.ROOT, "append_%dp_rate_%s run=%d target_mibps=%.1f kept_up=%s", r.partitions(),
                r.rateLabel().replace("×", "x").replace("/", "p").toLowerCase(Locale.ROOT), round, r.targetMiBps(),
                r.keptUp())
                : String.format(Locale.ROOT, "append_%dp run=%d", r.partitions(), round);
        out.printf(Locale.ROOT, "name=%s mibps=%.1f batches_per_s=%.0f p50_ms=%.3f p99_ms=%.3f"
                        + " p999_ms=%.3f max_ms=%.3f rounds_per_s=%.0f kib_per_round=%.1f fsyncs_per_round=%.2f"
                        + " fsync_mean_us=%.0f fsync_busy=%.2f write_amplification=%.2f cpu_cores=%.2f threads=%d inflight=%d batch_bytes=%d"
                        + " secs=%.1f load1=%.2f%s%n",
                name, r.mibPerSecond(), r.batchesPerSecond(), r.percentileMs(50), r.percentileMs(99),
                r.percentileMs(99.9), r.maxMs(), r.roundsPerSecond(), r.kibPerRound(), r.fsyncsPerRound(),
                r.fsyncMeanMicros(), r.fsyncBusy(), r.writeAmplification(), r.cpuCores(), r.threads(), r.inflight(), r.batchBytes(),
                r.seconds(), ProcessCpu.load1(), r.note().isEmpty() ? "" : " note=\"" + r.note() + "\"");
    }

    void addRead(int round, int partitions, ReadFigures r) {
        reads.computeIfAbsent(partitions, k -> new ArrayList<>()).add(r);
        out.printf(Locale.ROOT, "name=read_%dp run=%d cold_mibps=%.0f%s warm_mibps=%.0f mib=%.0f"
                        + " from_file_share=%.2f load1=%.2f%n", partitions, round, r.cold().mibPerSecond(),
                r.cacheDropped() ? "" : " cold_note=page_cache_warm", r.warm().mibPerSecond(),
                r.cold().bytes() / (double) (1 << 20),
                r.cold().bytes() == 0 ? 0 : r.cold().fileBytes() / (double) r.cold().bytes(), ProcessCpu.load1());
    }

    /** Prints the medians table and the goals' verdicts. */
    void printSummary() {
        int rounds = appends.values().stream().mapToInt(List::size).max().orElse(0);
        out.println();
        out.printf(Locale.ROOT, "Medians of %d round(s).%n%n", rounds);
        double fioWrite = fio.isEmpty() ? Double.NaN : median(fio, FioResult::writeMiBps);
        double fioSyncP99Ms = fio.isEmpty() ? Double.NaN : median(fio, FioResult::syncP99Micros) / 1000;
        if (!fio.isEmpty()) {
            out.println("| disk (fio) | direct 1 MiB seq write MiB/s | 16 KiB write+fdatasync: fdatasync p50 / p99 / p99.9 ms | 16 KiB write p99 ms |");
            out.println("| --- | ---: | ---: | ---: |");
            out.printf(Locale.ROOT, "| this run | %.0f | %.3f / %.3f / %.3f | %.3f |%n%n", fioWrite,
                    median(fio, FioResult::syncP50Micros) / 1000, fioSyncP99Ms,
                    median(fio, FioResult::syncP999Micros) / 1000, median(fio, FioResult::writeP99Micros) / 1000);
        }
        out.println("| case | target MiB/s | MiB/s | % of fio write | batches/s | p50 ms | p99 ms | p99.9 ms | max ms"
                + " | p99 / fio fdatasync p99 | rounds/s | KiB/round | fsyncs/round | fsync mean µs | disk bytes / durable byte | CPU cores"
                + " | goal: MiB/s ≥ 80% fio | goal: p99 ≤ 2× fio (fixed rate) |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: | :---: |");
        List<String> goals = new ArrayList<>();
        for (Map.Entry<CaseKey, List<AppendCaseResult>> e : appends.entrySet()) {
            CaseKey key = e.getKey();
            List<AppendCaseResult> rs = e.getValue();
            boolean fixedRate = !key.rate().isEmpty();
            double mibps = median(rs, AppendCaseResult::mibPerSecond);
            double target = fixedRate ? median(rs, AppendCaseResult::targetMiBps) : Double.NaN;
            boolean keptUp = !fixedRate || median(rs, r -> r.mibPerSecond() / r.targetMiBps())
                    >= AppendCaseResult.KEPT_UP_SHARE;
            double p99 = median(rs, r -> r.percentileMs(99));
            double share = mibps / fioWrite;
            double p99Ratio = p99 / fioSyncP99Ms;
            boolean judged = key.partitions() == GOAL_PARTITIONS && !fio.isEmpty();
            String tputGoal = judged && !fixedRate ? verdict(share >= GOAL_BANDWIDTH_SHARE) : "-";
            String latGoal = fio.isEmpty() ? "-" : fixedRate ? latencyVerdict(p99Ratio, keptUp) : "- (saturated)";
            out.printf(Locale.ROOT, "| %s | %s | %.0f | %s | %.0f | %.3f | %.3f | %.3f | %.3f | %s | %.0f | %.0f"
                            + " | %.2f | %.0f | %.2f | %.2f | %s | %s |%n", key.label(),
                    fixedRate ? String.format(Locale.ROOT, "%.0f", target) : "-", mibps, percent(share),
                    median(rs, AppendCaseResult::batchesPerSecond), median(rs, r -> r.percentileMs(50)), p99,
                    median(rs, r -> r.percentileMs(99.9)), median(rs, AppendCaseResult::maxMs),
                    ratio(p99Ratio),
                    median(rs, AppendCaseResult::roundsPerSecond), median(rs, AppendCaseResult::kibPerRound),
                    median(rs, AppendCaseResult::fsyncsPerRound), median(rs, AppendCaseResult::fsyncMeanMicros),
                    median(rs, AppendCaseResult::writeAmplification), median(rs, AppendCaseResult::cpuCores), tputGoal, latGoal);
            if (judged && !fixedRate) {
                goals.add(String.format(Locale.ROOT, "- throughput, %dp saturated: %.0f MiB/s = %s of fio's %.0f: %s",
                        GOAL_PARTITIONS, mibps, percent(share), fioWrite, tputGoal));
            } else if (judged) {
                goals.add(String.format(Locale.ROOT, "- latency, %dp at fixed rate %s (%.0f MiB/s target, %.0f made"
                                + " durable%s): p99 %.3f ms = %s fio's fdatasync p99 %.3f ms: %s", GOAL_PARTITIONS,
                        key.rate(), target, mibps, keptUp ? "" : ": the engine could not keep up", p99,
                        ratio(p99Ratio), fioSyncP99Ms, latGoal));
            }
        }
        printGoals(goals);
        if (!reads.isEmpty()) {
            out.println();
            boolean allDropped = reads.values().stream().flatMap(List::stream).allMatch(ReadFigures::cacheDropped);
            out.println("| sequential read | cold MiB/s" + (allDropped ? "" : " (page cache warm: could not drop it)")
                    + " | warm MiB/s | MiB read per pass | share from files |");
            out.println("| --- | ---: | ---: | ---: | ---: |");
            for (Map.Entry<Integer, List<ReadFigures>> e : reads.entrySet()) {
                List<ReadFigures> rs = e.getValue();
                out.printf(Locale.ROOT, "| after append %dp | %.0f | %.0f | %.0f | %.2f |%n", e.getKey(),
                        median(rs, r -> r.cold().mibPerSecond()), median(rs, r -> r.warm().mibPerSecond()),
                        median(rs, r -> r.cold().bytes() / (double) (1 << 20)),
                        median(rs, r -> r.cold().bytes() == 0 ? 0 : r.cold().fileBytes() / (double) r.cold().bytes()));
            }
        }
        out.println();
    }

    /**
     * The goals' verdicts, one line each. The latency goal is judged only at fixed rate: a saturated closed loop's p99
     * is its queue (Little's law), so it is listed as such beside them, never as the verdict.
     */
    private void printGoals(List<String> goals) {
        if (fio.isEmpty()) {
            return;
        }
        out.println();
        out.println("Goals (issue 2), against fio's medians of this run:");
        goals.forEach(out::println);
        boolean latencyJudged = goals.stream().anyMatch(g -> g.startsWith("- latency"));
        List<AppendCaseResult> saturated = appends.get(new CaseKey(GOAL_PARTITIONS, "", rateOrder.indexOf("")));
        if (!latencyJudged) {
            out.printf(Locale.ROOT, "- latency: not judged: no fixed-rate case at %dp (--rate-fraction/--rate-mibps)%n",
                    GOAL_PARTITIONS);
        }
        if (saturated != null) {
            double fioSyncP99Ms = median(fio, FioResult::syncP99Micros) / 1000;
            double p99 = median(saturated, r -> r.percentileMs(99));
            out.printf(Locale.ROOT, "  (saturated %dp p99 %.3f ms = %s fio's fdatasync p99: the queue of %d batches in"
                            + " flight per partition at the maximum rate, not judged)%n", GOAL_PARTITIONS, p99,
                    ratio(p99 / fioSyncP99Ms), saturated.get(0).inflight());
        }
    }

    /** Latency verdict of a fixed-rate case: a case that could not keep up with its rate misses, whatever its p99. */
    static String latencyVerdict(double p99OverFioP99, boolean keptUp) {
        if (!keptUp) {
            return "MISS (could not keep up)";
        }
        return verdict(p99OverFioP99 <= GOAL_P99_FACTOR);
    }

    private static String ratio(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.1f×", r);
    }

    private static String verdict(boolean pass) {
        return pass ? "PASS" : "MISS";
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    static <T> double median(List<T> items, ToDoubleFunction<T> f) {
        double[] v = items.stream().mapToDouble(f).toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
