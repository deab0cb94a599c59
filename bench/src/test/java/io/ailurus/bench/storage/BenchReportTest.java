package io.ailurus.bench.storage;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3.0, BenchReport.median(List.of(5.0, 1.0, 3.0), d -> d));
        assertEquals(2.5, BenchReport.median(List.of(4.0, 1.0, 3.0, 2.0), d -> d));
        assertTrue(Double.isNaN(BenchReport.median(List.<Double>of(), d -> d)));
    }

    @Test
    void judgesTheGoalsAgainstFiosMediansAndOnlyTheThroughputGoalAt16Partitions() {
        // fio: 1000 MiB/s direct writes, fdatasync p99 1 ms (medians of 3 rounds).
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BenchReport report = new BenchReport(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        for (double mibps : new double[]{900, 1000, 1100}) {
            report.addFio(1, new FioResult(mibps, 200, 1000, 2000, 50, 3000));
        }
        // 16 partitions: 850 MiB/s (85%), p99 1.5 ms -> PASS, PASS.
        report.addAppend(1, result(16, 850, 1_500_000));
        // 1 partition: 100 MiB/s but p99 3 ms (3x) -> no throughput goal, latency MISS.
        report.addAppend(1, result(1, 100, 3_000_000));
        // 256 partitions: 700 MiB/s (70%) would miss, but the throughput goal is judged at 16 only.
        report.addAppend(1, result(256, 700, 1_800_000));
        report.printSummary();
        String out = bytes.toString(StandardCharsets.UTF_8);

        String p16 = line(out, "| append 16p saturated |");
        assertTrue(p16.startsWith("| append 16p saturated | - | 850 | 85% |"), p16);
        assertTrue(p16.contains("| 1.5× |"), "the saturated p99 stays visible: " + p16);
        assertTrue(p16.endsWith("| PASS | - (saturated) |"), "a saturated p99 is not judged: " + p16);
        assertTrue(p16.contains("| 2.00 | 0.50 |"), "write amplification and CPU cores: " + p16);
        String p1 = line(out, "| append 1p saturated |");
        assertTrue(p1.contains("| 3.0× |") && p1.endsWith("| - | - (saturated) |"), p1);
        String p256 = line(out, "| append 256p saturated |");
        assertTrue(p256.contains("| 70% |") && p256.endsWith("| - | - (saturated) |"), p256);
        assertTrue(out.contains("| this run | 1000 | 0.200 / 1.000 / 2.000 | 0.050 |"), out);
        assertTrue(out.contains("- latency: not judged: no fixed-rate case at 16p"), out);
    }

    @Test
    void judgesTheLatencyGoalOnTheFixedRateCasesAndKeepsTheSaturatedP99Labelled() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BenchReport report = new BenchReport(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        report.addFio(1, new FioResult(1000, 200, 1000, 2000, 50, 3000));
        // Saturated: 970 MiB/s, p99 12 ms (12x fio: the queue).
        report.addAppend(1, result(16, 970, 12_000_000));
        // 0.1x fio = 100 MiB/s made durable, p99 1.5 ms -> PASS.
        report.addAppend(1, rate(16, 100, 100, "0.1×fio", 1_500_000));
        // 0.25x fio = 250 MiB/s asked, 250 made, p99 2.5 ms -> MISS.
        report.addAppend(1, rate(16, 250, 250, "0.25×fio", 2_500_000));
        // 0.5x fio = 500 asked, only 400 made: could not keep up; its p99 (of what did complete) is no excuse.
        report.addAppend(1, rate(16, 500, 400, "0.5×fio", 1_000_000));
        // 1 partition at 0.1x fio, 3x: shown with its verdict, but the goal is stated at 16 partitions.
        report.addAppend(1, rate(1, 100, 100, "0.1×fio", 3_000_000));
        report.printSummary();
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(line(out, "| append 16p saturated |").endsWith("| PASS | - (saturated) |"), out);
        String r01 = line(out, "| append 16p at 0.1×fio |");
        assertTrue(r01.startsWith("| append 16p at 0.1×fio | 100 | 100 | 10% |") && r01.contains("| 1.5× |")
                && r01.endsWith("| - | PASS |"), r01);
        assertTrue(line(out, "| append 16p at 0.25×fio |").endsWith("| - | MISS |"), out);
        assertTrue(line(out, "| append 16p at 0.5×fio |").endsWith("| - | MISS (could not keep up) |"), out);
        assertTrue(line(out, "| append 1p at 0.1×fio |").endsWith("| - | MISS |"), out);

        // Rows: saturated first, then the fixed-rate ones by partitions, in the order the rates came.
        List<String> rows = out.lines().filter(l -> l.startsWith("| append ")).map(l -> l.split(" \\| ")[0]).toList();
        assertEquals(List.of("| append 16p saturated", "| append 1p at 0.1×fio", "| append 16p at 0.1×fio",
                "| append 16p at 0.25×fio", "| append 16p at 0.5×fio"), rows);

        assertTrue(out.contains("- throughput, 16p saturated: 970 MiB/s = 97% of fio's 1000: PASS"), out);
        assertTrue(out.contains("- latency, 16p at fixed rate 0.1×fio (100 MiB/s target, 100 made durable): p99 1.500"
                + " ms = 1.5× fio's fdatasync p99 1.000 ms: PASS"), out);
        assertTrue(out.contains("- latency, 16p at fixed rate 0.5×fio (500 MiB/s target, 400 made durable: the engine"
                + " could not keep up): p99 1.000 ms = 1.0× fio's fdatasync p99 1.000 ms: MISS (could not keep up)"),
                out);
        assertTrue(out.contains("(saturated 16p p99 12.001 ms = 12.0× fio's fdatasync p99: the queue of 8 batches in"
                + " flight per partition at the maximum rate, not judged)"), out);
        assertTrue(!out.contains("latency: not judged"), out);
        assertTrue(out.contains("name=append_16p_rate_0.25xfio run=1 target_mibps=250.0 kept_up=true mibps=250.0"),
                out);
        assertTrue(out.contains("name=append_16p_rate_0.5xfio run=1 target_mibps=500.0 kept_up=false"), out);
    }

    @Test
    void latencyVerdict() {
        assertEquals("PASS", BenchReport.latencyVerdict(2.0, true));
        assertEquals("MISS", BenchReport.latencyVerdict(2.01, true));
        assertEquals("MISS (could not keep up)", BenchReport.latencyVerdict(0.5, false));
    }

    @Test
    void aFixedRateCaseKeptUpWhenItMadeAtLeast95PercentOfItsTargetDurable() {
        assertTrue(rate(16, 100, 95, "x", 1).keptUp());
        assertTrue(!rate(16, 100, 94, "x", 1).keptUp());
        assertTrue(result(16, 10, 1).keptUp(), "a saturated case is its own target");
    }

    /** A fixed-rate case's one-second window: {@code targetMiBps} asked, {@code mibps} made durable. */
    private static AppendCaseResult rate(int partitions, double targetMiBps, double mibps, String label, long nanos) {
        AppendCaseResult r = result(partitions, mibps, nanos);
        return new AppendCaseResult(partitions, 2, 0, r.batchBytes(), targetMiBps, label, r.start(), r.end(),
                r.latencyNanos(), "");
    }

    /** A one-second window with {@code mibps} of 16 KiB batches, all with latency {@code nanos}. */
    private static AppendCaseResult result(int partitions, double mibps, long nanos) {
        int batchBytes = 16384;
        long batches = Math.round(mibps * (1 << 20) / batchBytes);
        Histogram h = new Histogram(3);
        h.recordValueWithCount(nanos, batches);
        var start = new AppendCaseResult.Counters(0, 0, 0, 0, 0, 0, 0, 0);
        var end = new AppendCaseResult.Counters(1_000_000_000L, batches, 100, 100, 100_000_000L,
                batches * batchBytes, 500_000_000L, batches * batchBytes * 2);
        return new AppendCaseResult(partitions, 2, 8, batchBytes, 0, "", start, end, h, "");
    }

    private static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + prefix + " in\n" + text));
    }
}
