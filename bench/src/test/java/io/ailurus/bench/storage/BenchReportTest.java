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

        String p16 = line(out, "| append 16p |");
        assertTrue(p16.startsWith("| append 16p | 850 | 85% |"), p16);
        assertTrue(p16.endsWith("| PASS | PASS |"), p16);
        assertTrue(p16.contains("| 2.00 | 0.50 |"), "write amplification and CPU cores: " + p16);
        String p1 = line(out, "| append 1p |");
        assertTrue(p1.contains("| 3.0× |") && p1.endsWith("| - | MISS |"), p1);
        String p256 = line(out, "| append 256p |");
        assertTrue(p256.contains("| 70% |") && p256.endsWith("| - | PASS |"), p256);
        assertTrue(out.contains("| this run | 1000 | 0.200 / 1.000 / 2.000 | 0.050 |"), out);
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
        return new AppendCaseResult(partitions, 2, 8, batchBytes, start, end, h, "");
    }

    private static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + prefix + " in\n" + text));
    }
}
