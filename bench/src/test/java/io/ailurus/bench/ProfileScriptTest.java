package io.ailurus.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bench/profile.sh's argument handling and its summary of collapsed stacks, without starting a broker or fetching the
 * profiler: --help, refusals of bad arguments before anything is written, and --summarize on a small stack file.
 */
class ProfileScriptTest {

    private static final BenchScript SCRIPT = new BenchScript("profile.sh");

    private static BenchScript.Result run(String... args) throws Exception {
        return SCRIPT.run(args);
    }

    @Test
    void helpNamesTheOptionsAndTheProfilerVersion() throws Exception {
        BenchScript.Result r = run("--help");
        assertEquals(0, r.exit(), r.out());
        for (String s : List.of("--nodes", "--partitions", "--workloads", "--events", "--summarize", "async-profiler",
                "cpu_s_per_gib", "acks=all")) {
            assertTrue(r.out().contains(s), "--help should mention " + s + ":\n" + r.out());
        }
        assertTrue(!r.out().contains("set -uo"), "--help prints the header comment only:\n" + r.out());
    }

    @Test
    void refusesBadArgumentsBeforeStartingAnything(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        BenchScript.assertRefused(run("--bogus"), "unknown option --bogus");
        BenchScript.assertRefused(run("--nodes", "2", "--out", out.toString()), "--nodes must be 1 or 3");
        BenchScript.assertRefused(run("--records", "many"), "needs a whole number");
        BenchScript.assertRefused(run("--rate", "0"), "at least 1");
        BenchScript.assertRefused(run("--workloads", "max burst"), "unknown workload burst");
        BenchScript.assertRefused(run("--events", "cpu cache-misses"), "unknown event cache-misses");
        BenchScript.assertRefused(run("--events", ""), "at least one entry");
        BenchScript.assertRefused(run("--top"), "needs a value");
        assertTrue(!Files.exists(out), "a refused run must not create its out dir");
    }

    @Test
    void refusesAnOutDirOfAPreviousRun(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("node-1/data"));
        BenchScript.Result r = run("--out", dir.toString(), "--workloads", "max");
        BenchScript.assertRefused(r, "holds a previous run");
        assertTrue(Files.exists(dir.resolve("node-1/data")), r.out());
    }

    @Test
    void summarizesByLeafFrameByThreadWithNumbersFoldedAndByAilurusFrame(@TempDir Path dir) throws Exception {
        Path stacks = dir.resolve("s.collapsed");
        Files.writeString(stacks, String.join("\n",
            "[ailurus-shard-0-1 tid=11];io/ailurus/storage/PartitionLog.append;java/nio/HeapByteBuffer.<init> 60",
            "[ailurus-shard-0-2 tid=12];io/ailurus/storage/PartitionLog.append;jlong_disjoint_arraycopy 20",
            "[ailurus-flusher-data-0 tid=13];io/ailurus/storage/Segment.sync;__GI_fdatasync 20",
            ""));
        BenchScript.Result r = run("--summarize", stacks.toString(), "--top", "2");
        assertEquals(0, r.exit(), r.out());
        String o = r.out();
        assertTrue(o.contains("## top frames, self (of 100 samples/units)"), o);
        assertTrue(o.contains(" 60.00%  java/nio/HeapByteBuffer.<init>"), o);
        // --top 2: the third leaf frame is not listed.
        assertTrue(!o.contains("%  __GI_fdatasync"), o);
        // Both shard threads are one line once numbers are folded and the tid dropped.
        assertTrue(o.contains(" 80.00%  [ailurus-shard-#-#]"), o);
        assertTrue(o.contains(" 20.00%  [ailurus-flusher-data-#]"), o);
        assertTrue(o.contains(" 80.00%  io/ailurus/storage/PartitionLog.append"), o);
    }
}
