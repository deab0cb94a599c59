package io.ailurus.rpk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rpk container} end to end: real rpk processes start a real 3-node cluster through the real
 * {@code bin/ailurus} launcher (run from this test's class path via AILURUS_CLASSPATH, so no
 * build happens), rpk's other commands reach it through the profile it creates, and stop, restart
 * and purge do what they say. Broker processes are cleaned up by the PIDs in their pid files.
 */
class RpkContainerProcessTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path work;

    private Path base() {
        return work.resolve("cluster");
    }

    private RpkProcess rpk() {
        return new RpkProcess(work, Map.of(
            "AILURUS_HOME", REPO.toString(),
            "AILURUS_CLASSPATH", System.getProperty("java.class.path"),
            "AILURUS_HEAP_OPTS", "-Xms256m -Xmx256m",
            "RPK_CONTAINER_DIR", base().toString()));
    }

    /** Whatever a failed assertion left running: stopped by the PIDs rpk recorded, never by name. */
    @AfterEach
    void killLeftovers() throws IOException {
        for (long pid : recordedPids()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private List<Long> recordedPids() throws IOException {
        List<Long> pids = new ArrayList<>();
        if (!Files.isDirectory(base())) {
            return pids;
        }
        try (Stream<Path> files = Files.walk(base(), 2)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("pid")).toList()) {
                pids.add(Long.parseLong(Files.readString(f).trim()));
            }
        }
        return pids;
    }

    @Test
    void startsListsStopsRestartsAndPurgesALocalThreeNodeCluster() throws Exception {
        RpkProcess.Result start = rpk().run(300, null, "container", "start", "-n", "3");
        assertEquals(0, start.exit(), start.toString());
        assertTrue(start.out().contains("Cluster of 3 started"), start.toString());
        List<Long> firstPids = recordedPids();
        assertEquals(3, firstPids.size(), "one broker process per node");
        assertTrue(firstPids.stream().allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));

        RpkProcess.Result status = rpk().run(null, "container", "status");
        assertEquals(0, status.exit(), status.toString());
        assertEquals(3, status.out().lines().filter(l -> l.contains("running")).count(), status.toString());

        // The rpk-container profile points rpk at the new cluster: all three brokers are in it.
        RpkProcess.Result info = rpk().run(null, "cluster", "info");
        assertEquals(0, info.exit(), info.toString());
        for (String line : status.out().lines().skip(1).toList()) {
            String kafka = line.trim().split("\\s+")[3];
            assertTrue(info.out().contains(kafka.substring(kafka.indexOf(':') + 1)), "broker " + kafka + " in\n" + info);
        }
        RpkProcess.Result create = rpk().run(120, null, "topic", "create", "replicated", "-p", "3", "-r", "3");
        assertEquals(0, create.exit(), create.toString());

        RpkProcess.Result again = rpk().run(null, "container", "start", "-n", "5");
        assertEquals(1, again.exit(), "a different size for an existing cluster is refused: " + again);
        assertTrue(again.err().contains("rpk container purge"), again.toString());

        RpkProcess.Result stop = rpk().run(120, null, "container", "stop");
        assertEquals(0, stop.exit(), stop.toString());
        for (long pid : firstPids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " stopped");
        }
        assertEquals(3, rpk().run(null, "container", "status").out().lines().filter(l -> l.contains("stopped")).count());

        // A restart keeps the nodes, their ports and their data: the topic is still there.
        RpkProcess.Result restart = rpk().run(300, null, "container", "start");
        assertEquals(0, restart.exit(), restart.toString());
        RpkProcess.Result topics = rpk().run(null, "topic", "list");
        assertTrue(topics.out().contains("replicated"), topics.toString());

        List<Long> secondPids = recordedPids();
        RpkProcess.Result purge = rpk().run(120, null, "container", "purge");
        assertEquals(0, purge.exit(), purge.toString());
        for (long pid : secondPids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " stopped");
        }
        try (Stream<Path> left = Files.list(base())) {
            assertEquals(0, left.count(), "node directories deleted");
        }
        RpkProcess.Result profiles = rpk().run(null, "profile", "list");
        assertFalse(profiles.out().contains("rpk-container"), profiles.toString());
    }

    /**
     * Four nodes: the first three are the seeds (the controller's voters) and node 3 joins them as a
     * learner; all four serve, and an RF=3 topic's replicas use every node.
     */
    @Test
    void aFourNodeClusterHasThreeSeedsAndOneJoinedBroker() throws Exception {
        RpkProcess.Result start = rpk().run(300, null, "container", "start", "-n", "4");
        assertEquals(0, start.exit(), start.toString());
        assertTrue(start.out().contains("Cluster of 4 started"), start.toString());
        assertEquals(4, recordedPids().size(), "one broker process per node");

        String node3Log = Files.readString(base().resolve("node-3").resolve("broker.log"));
        assertTrue(node3Log.contains("joined the controller group as a learner"), "node 3 joined the seeds:\n" + node3Log);
        for (int i = 0; i < 3; i++) {
            String seedLog = Files.readString(base().resolve("node-" + i).resolve("broker.log"));
            assertFalse(seedLog.contains("is not one of the seeds"), "node " + i + " is a seed");
        }

        RpkProcess.Result info = rpk().run(null, "cluster", "info");
        assertEquals(0, info.exit(), info.toString());
        RpkProcess.Result status = rpk().run(null, "container", "status");
        for (String line : status.out().lines().skip(1).toList()) {
            String kafka = line.trim().split("\\s+")[3];
            assertTrue(info.out().contains(kafka.substring(kafka.indexOf(':') + 1)), "broker " + kafka + " in\n" + info);
        }
        // Topic creation (through any broker, forwarded to the controller leader) works with 4 brokers.
        RpkProcess.Result create = rpk().run(120, null, "topic", "create", "spread", "-p", "4", "-r", "3");
        assertEquals(0, create.exit(), create.toString());

        RpkProcess.Result purge = rpk().run(120, null, "container", "purge");
        assertEquals(0, purge.exit(), purge.toString());
    }
}
