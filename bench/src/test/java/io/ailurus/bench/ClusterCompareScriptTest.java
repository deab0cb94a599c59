package io.ailurus.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bench/cluster-compare.sh's argument handling and report, without starting any cluster: --help,
 * refusals of bad arguments (before anything is started or written), and the table of medians and
 * ratios that --report rebuilds from a run's raw lines.
 */
class ClusterCompareScriptTest {

    private static final BenchScript SCRIPT = new BenchScript("cluster-compare.sh");

    private static BenchScript.Result run(String... args) throws Exception {
        return SCRIPT.run(args);
    }

    @Test
    void helpNamesTheTargetsAndTheOptions() throws Exception {
        BenchScript.Result r = run("--help");
        assertEquals(0, r.exit(), r.out());
        for (String s : List.of("kafka3", "kafka3-fsync", "ailurus3", "--quick", "--rounds", "--write-docs",
                "--report", "min.insync.replicas=2", "replication factor 3")) {
            assertTrue(r.out().contains(s), "--help should mention " + s + ":\n" + r.out());
        }
        assertTrue(!r.out().contains("set -uo"), "--help prints the header comment only:\n" + r.out());
    }

    @Test
    void refusesBadArgumentsBeforeStartingAnything(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        BenchScript.assertRefused(run("--bogus"), "unknown option --bogus");
        BenchScript.assertRefused(run("--targets", "kafka3 redpanda", "--out", out.toString()), "unknown target redpanda");
        BenchScript.assertRefused(run("--rounds", "three"), "needs a whole number");
        BenchScript.assertRefused(run("--rounds", "0"), "at least 1");
        BenchScript.assertRefused(run("--partitions", "1 x"), "needs a whole number");
        BenchScript.assertRefused(run("--max-secs"), "needs a value");
        assertTrue(!Files.exists(out), "a refused run must not create its out dir");
    }

    @Test
    void reportTakesMediansOverRoundsAndRatiosAgainstBothKafkas(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("all.txt"), String.join("\n",
            "name=startup target=kafka3 run=1 pids=1,2,3 api_ms=9000 ready_ms=10000 rss_idle_mb=1100.0 status=ok load1=1.0",
            "name=startup target=ailurus3 run=1 pids=4,5,6 api_ms=4000 ready_ms=5000 rss_idle_mb=550.0 status=ok load1=1.0",
            "name=produce_16p_acksall target=kafka3 run=1 records=1000 size=1024 partitions=16 replicas=3 records_sent=1048576"
                + " mbps=100.0 rps=1 broker_cpu_s=20.0 status=ok load1=1.0",
            "name=produce_16p_acksall target=kafka3 run=2 records=1000 size=1024 partitions=16 replicas=3 records_sent=1048576"
                + " mbps=40.0 rps=1 broker_cpu_s=10.0 status=ok load1=1.0",
            "name=produce_16p_acksall target=kafka3 run=3 records=1000 size=1024 partitions=16 replicas=3 records_sent=1048576"
                + " mbps=80.0 rps=1 broker_cpu_s=30.0 status=ok load1=1.0",
            "name=produce_16p_acksall target=kafka3-fsync run=1 records=1000 size=1024 partitions=16 replicas=3"
                + " records_sent=1048576 mbps=20.0 rps=1 broker_cpu_s=40.0 status=ok load1=1.0",
            "name=produce_16p_acksall target=ailurus3 run=1 records=1000 size=1024 partitions=16 replicas=3 records_sent=1048576"
                + " mbps=60.0 rps=1 broker_cpu_s=4.0 status=ok load1=1.0",
            // A timed-out run is left out of the medians and listed as not measured.
            "name=produce_16p_acksall target=ailurus3 run=2 records=1000 size=1024 partitions=16 replicas=3 mbps=1.0"
                + " status=timeout load1=1.0",
            "") + "\n");
        BenchScript.Result r = run("--report", dir.toString());
        assertEquals(0, r.exit(), r.out());
        String report = Files.readString(dir.resolve("report.md"));
        assertTrue(report.contains("| workload | metric | kafka3 | kafka3-fsync | ailurus3 | ailurus3 / kafka3 | ailurus3 / kafka3-fsync |"),
            report);
        // kafka3's median of 100, 40, 80 is 80; ailurus3 60 / 80 = 0.75, 60 / kafka3-fsync's 20 = 3.00.
        assertTrue(report.contains("| produce_16p_acksall | mbps | 80.0 | 20.0 | 60.0 | 0.75 | 3.00 |"), report);
        // 1 GiB acknowledged per run: CPU seconds per GiB are the CPU seconds (median 20 of 20, 10, 30).
        assertTrue(report.contains("| produce_16p_acksall | cpu_s_per_gib | 20.0 | 40.0 | 4.0 | 0.20 | 0.10 |"), report);
        assertTrue(report.contains("| startup | rss_idle_mb | 1100.0 | - | 550.0 | 0.50 | - |"), report);
        assertTrue(report.contains("| startup | ready_ms | 10000 | - | 5000 | 0.50 | - |"), report);
        assertTrue(report.contains("Not measured (failed or timed out, left out of the medians): produce_16p_acksall on ailurus3 (1)."),
            report);
        // The goals, as "3 nodes" rows: RSS 550 / 1100 = 0.50 misses <= 0.33, start 5000 / 10000 = 0.50 meets <= 0.5.
        assertTrue(report.contains("| 3 nodes: RSS idle, ailurus3 / kafka3 | 0.50 (550.0 / 1100.0) | <= 0.33 | MISS |"), report);
        assertTrue(report.contains("| 3 nodes: start to ready, ailurus3 / kafka3 | 0.50 (5000 / 10000) | <= 0.5 | PASS |"), report);
        assertTrue(report.contains("| 3 nodes: 16 partitions, ailurus3 / kafka3-fsync (MiB/s) | 3.00 (60.0 / 20.0) | >= 2 | PASS |"), report);
        assertTrue(report.contains("| 3 nodes: fixed rate p99, ailurus3 / kafka3 | - | <= 0.2 | not measured |"), report);
    }
}
