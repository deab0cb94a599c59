package io.ailurus.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bench/compare.sh, issue 8's one command, without starting any broker: --help, refusals of bad
 * arguments (before anything is built, started or written), which parts --nodes runs and with which
 * options (--dry-run), and the one report --report rebuilds from a run's raw lines: a table per part
 * and the goals' verdicts, single-node and 3-node rows labelled.
 */
class CompareScriptTest {

    private static final BenchScript SCRIPT = new BenchScript("compare.sh");

    @Test
    void helpNamesThePartsTheTargetsAndEveryOption() throws Exception {
        BenchScript.Result r = SCRIPT.run("--help");
        assertEquals(0, r.exit(), r.out());
        for (String s : List.of("--nodes", "--quick", "--rounds", "--targets", "--out", "--no-limits", "--write-docs",
                "--report", "--dry-run", "kafka-fsync", "kafka3", "3 nodes", "replication factor 3", "4,000")) {
            assertTrue(r.out().contains(s), "--help should mention " + s + ":\n" + r.out());
        }
        assertFalse(r.out().contains("set -uo"), "--help prints the header comment only:\n" + r.out());
    }

    @Test
    void refusesBadArgumentsBeforeStartingAnything(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        BenchScript.assertRefused(SCRIPT.run("--bogus"), "unknown option --bogus");
        BenchScript.assertRefused(SCRIPT.run("--nodes", "2", "--out", out.toString()), "--nodes takes 1, 3 or \"1 3\"");
        BenchScript.assertRefused(SCRIPT.run("--nodes", "1 2"), "--nodes takes 1, 3 or \"1 3\"");
        BenchScript.assertRefused(SCRIPT.run("--targets", "kafka redpanda", "--out", out.toString()), "unknown target redpanda");
        BenchScript.assertRefused(SCRIPT.run("--targets", " "), "names none of");
        BenchScript.assertRefused(SCRIPT.run("--rounds", "three"), "at least 1");
        BenchScript.assertRefused(SCRIPT.run("--rounds", "0"), "at least 1");
        BenchScript.assertRefused(SCRIPT.run("--out"), "needs a value");
        assertFalse(Files.exists(out), "a refused run must not create its out dir");
    }

    @Test
    void runsBothPartsByDefaultTheSingleNodeFirst(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        BenchScript.Result r = SCRIPT.run("--dry-run", "--out", out.toString());
        assertEquals(0, r.exit(), r.out());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("single node: rounds 3 of kafka kafka-fsync ailurus; workload.sh --partitions 1\\ 16\\ 256\\ 1000\\ 4000"),
            r.out());
        assertEquals("3 nodes: bench/cluster-compare.sh --targets \"kafka3 kafka3-fsync ailurus3\" --rounds 3 ", lines[1]);
        assertFalse(Files.exists(out), "--dry-run writes nothing");
        // Whatever order --nodes names them in.
        BenchScript.Result both = SCRIPT.run("--dry-run", "--nodes", "3 1");
        assertTrue(both.out().startsWith("single node:") && both.out().contains("\n3 nodes:"), both.out());
    }

    @Test
    void nodesPicksOnePartAndTheThreeNodePartGetsTheTargetsAndOptionsItTakes() throws Exception {
        BenchScript.Result one = SCRIPT.run("--dry-run", "--nodes", "1", "--targets", "ailurus");
        assertEquals(0, one.exit(), one.out());
        assertTrue(one.out().contains("single node: rounds 3 of ailurus;"), one.out());
        assertFalse(one.out().contains("3 nodes:"), one.out());

        BenchScript.Result three = SCRIPT.run("--dry-run", "--nodes", "3", "--quick", "--rounds", "2", "--targets",
            "kafka-fsync ailurus", "--", "--partitions", "1 16 256", "--probe-secs", "2", "--max-secs", "5");
        assertEquals(0, three.exit(), three.out());
        assertFalse(three.out().contains("single node:"), three.out());
        // workload.sh's --probe-secs has no 3-node counterpart: not passed on.
        assertTrue(three.out().contains("3 nodes: bench/cluster-compare.sh --targets \"kafka3-fsync ailurus3\""
            + " --rounds 2 --quick --partitions 1\\ 16\\ 256 --max-secs 5 \n"), three.out());
    }

    /** A run of both parts, one round, as the run writes it: the single node's lines, then the 3-node part's. */
    private static void cannedRun(Path dir, String nodes) throws Exception {
        Files.writeString(dir.resolve("all.txt"), String.join("\n",
            "name=startup target=kafka pid=1 ready_ms=4000 rss_idle_mb=400.0 run=1",
            "name=startup target=ailurus pid=2 ready_ms=1000 rss_idle_mb=100.0 run=1",
            "name=produce_16p_acksall target=kafka run=1 size=1024 records_sent=1048576 mbps=100.0 broker_cpu_s=20 status=ok load1=1.0",
            "name=produce_16p_acksall target=kafka-fsync run=1 size=1024 records_sent=1048576 mbps=30.0 status=ok load1=1.0",
            "name=produce_16p_acksall target=ailurus run=1 size=1024 records_sent=1048576 mbps=90.0 broker_cpu_s=5 status=ok load1=1.0",
            "name=produce_1000p_acksall target=ailurus run=1 size=1024 records_sent=1048576 mbps=81.0 status=ok load1=1.0",
            "name=latency_1p_fixedrate target=kafka run=1 target_rps=5000 p99_ms=50 p999_ms=100 status=ok load1=1.0",
            "name=latency_1p_fixedrate target=ailurus run=1 target_rps=5000 p99_ms=5 p999_ms=30 status=ok load1=1.0",
            "name=startup target=kafka3 run=1 ready_ms=10000 rss_idle_mb=1200.0 status=ok load1=1.0",
            "name=startup target=ailurus3 run=1 ready_ms=6000 rss_idle_mb=300.0 status=ok load1=1.0",
            "name=produce_16p_acksall target=kafka3 run=1 size=1024 mbps=50.0 status=ok load1=1.0",
            "name=produce_16p_acksall target=kafka3-fsync run=1 size=1024 mbps=10.0 status=ok load1=1.0",
            "name=produce_16p_acksall target=ailurus3 run=1 size=1024 mbps=20.0 status=timeout load1=1.0",
            "") + "\n");
        Files.writeString(dir.resolve("limits.txt"), String.join("\n",
            "name=disk_seqwrite_direct_1M qd=1 mibps=600 target=machine",
            "name=disk_seqwrite_direct_1M qd=8 mibps=800 target=machine",
            "name=tcp_loopback gbps=8.0 target=machine", ""));
        Files.writeString(dir.resolve("meta.sh"), "NODES='" + nodes + "'\nROUNDS=1\nTARGETS='kafka kafka-fsync ailurus'\n");
    }

    /** --report over {@link #cannedRun}: the report.md it writes. */
    private static String reportOfCannedRun(Path dir, String nodes) throws Exception {
        cannedRun(dir, nodes);
        BenchScript.Result r = SCRIPT.run("--report", dir.toString());
        assertEquals(0, r.exit(), r.out());
        return Files.readString(dir.resolve("report.md"));
    }

    @Test
    void reportHasATablePerPartAndTheGoalsOfBoth(@TempDir Path dir) throws Exception {
        String report = reportOfCannedRun(dir, "1 3");
        int single = report.indexOf("**Single node**");
        int three = report.indexOf("**3 nodes, RF=3**");
        int goals = report.indexOf("| issue-8 goal (medians) | measured | bound | verdict |");
        assertTrue(single >= 0 && three > single && goals > three, report);
        String singleTable = report.substring(single, three);
        String threeTable = report.substring(three, goals);
        assertTrue(singleTable.contains("| produce_16p_acksall | mbps | 100.0 | 30.0 | 90.0 | 0.90 | 3.00 |"), report);
        assertFalse(singleTable.contains("kafka3"), "the single-node table has no 3-node lines:\n" + report);
        assertTrue(threeTable.contains("| workload | metric | kafka3 | kafka3-fsync | ailurus3 | ailurus3 / kafka3 | ailurus3 / kafka3-fsync |"),
            report);
        assertTrue(threeTable.contains("| startup | rss_idle_mb | 1200.0 | - | 300.0 | 0.25 | - |"), report);
        assertTrue(threeTable.contains("Not measured (failed or timed out, left out of the medians): produce_16p_acksall on ailurus3 (1)."),
            report);

        String verdicts = report.substring(goals);
        for (String row : List.of(
                "| 1 node: RSS idle, ailurus / kafka | 0.25 (100.0 / 400.0) | <= 0.33 | PASS |",
                "| 1 node: start to ready, ailurus / kafka | 0.25 (1000 / 4000) | <= 0.5 | PASS |",
                "| 1 node: ailurus 1,000 partitions / 16 partitions (MiB/s) | 0.90 (81.0 / 90.0) | >= 0.8 | PASS |",
                "| 1 node: 16 partitions, ailurus / kafka-fsync (MiB/s) | 3.00 (90.0 / 30.0) | >= 2 | PASS |",
                "| 1 node: 16 partitions, ailurus / kafka (MiB/s) | 0.90 (90.0 / 100.0) | >= 1 | MISS |",
                "| 1 node: fixed rate p99, ailurus / kafka | 0.10 (5 / 50) | <= 0.2 | PASS |",
                "| 1 node: fixed rate p99.9, ailurus / kafka | 0.30 (30 / 100) | <= 0.2 | MISS |",
                // The lower of the best direct write (800 MiB/s) and 8 Gbit/s of loopback (954 MiB/s).
                "| 1 node: 16 partitions, ailurus / the lower of disk direct write and loopback (MiB/s) | 0.11 (90.0 / 800) | >= 0.7 | MISS |",
                "| 3 nodes: RSS idle, ailurus3 / kafka3 | 0.25 (300.0 / 1200.0) | <= 0.33 | PASS |",
                "| 3 nodes: start to ready, ailurus3 / kafka3 | 0.60 (6000 / 10000) | <= 0.5 | MISS |",
                // ailurus3's only 16-partition run timed out: no verdict, rather than one on nothing.
                "| 3 nodes: 16 partitions, ailurus3 / kafka3-fsync (MiB/s) | - | >= 2 | not measured |")) {
            assertTrue(verdicts.contains(row), "expected the goal row\n" + row + "\nin:\n" + report);
        }
        assertFalse(verdicts.contains("3 nodes: 16 partitions, ailurus3 / the lower"), "the machine's limits are a single-node goal");
    }

    @Test
    void reportOfASingleNodeRunHasNoThreeNodePart(@TempDir Path dir) throws Exception {
        String report = reportOfCannedRun(dir, "1");
        assertTrue(report.contains("**Single node**"), report);
        assertFalse(report.contains("**3 nodes"), report);
        assertFalse(report.contains("| 3 nodes:"), report);
        assertTrue(report.contains("| 1 node: RSS idle, ailurus / kafka | 0.25"), report);
    }

    @Test
    void writeDocsReplacesOnlyItsOwnBlock(@TempDir Path dir) throws Exception {
        // A copy of the script and its lib in a tree of its own: --write-docs writes <tree>/docs/benchmarks.md.
        Path bench = Files.createDirectories(dir.resolve("tree/bench/lib"));
        Files.copy(Path.of("compare.sh"), bench.getParent().resolve("compare.sh"));
        for (String f : List.of("proc.sh", "report.sh", "report.awk")) {
            Files.copy(Path.of("lib", f), bench.resolve(f));
        }
        Path doc = Files.createDirectories(dir.resolve("tree/docs")).resolve("benchmarks.md");
        Files.writeString(doc, String.join("\n", "# Benchmarks", "before", "<!-- compare:begin -->", "old report",
            "<!-- compare:end -->", "<!-- cluster-compare:begin -->", "kept", "<!-- cluster-compare:end -->", "after", ""));
        Path run = Files.createDirectories(dir.resolve("run"));
        cannedRun(run, "1 3");
        BenchScript.Result r = new BenchScript(bench.getParent().resolve("compare.sh")).run("--report", run.toString(), "--write-docs");
        assertEquals(0, r.exit(), r.out());
        String text = Files.readString(doc);
        assertFalse(text.contains("old report"), text);
        assertTrue(text.contains("<!-- compare:begin -->\n" + Files.readString(run.resolve("report.md")) + "<!-- compare:end -->"), text);
        assertTrue(text.startsWith("# Benchmarks\nbefore\n") && text.contains("\nkept\n") && text.endsWith("\nafter\n"), text);
    }
}
