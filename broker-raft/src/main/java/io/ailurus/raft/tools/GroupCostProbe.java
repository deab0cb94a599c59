package io.ailurus.raft.tools;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;

import io.ailurus.raft.RaftHostConfig;
import io.ailurus.raft.RaftNodeHost;
import io.ailurus.raft.partition.PartitionStateMachine;
import io.ailurus.storage.LogConfig;
import io.ailurus.storage.LogManager;
import io.ailurus.storage.PartitionLog;
import io.ailurus.storage.StorageConfig;

/**
 * Measures what one jraft group costs on a broker: threads, heap and idle CPU per group, for
 * {@code groups} groups of {@code replicas} members (all members in this JVM, one host per
 * replica). Not a test: a tool whose figures go into {@code docs/raft.md}.
 *
 * <p>Usage: {@code GroupCostProbe <groups> <replicas> <dataDir> [idleSeconds]}
 */
public final class GroupCostProbe {

    private GroupCostProbe() {
    }

    /** Runs the probe and prints one line per phase. */
    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int replicas = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Path dataDir = Path.of(args.length > 2 ? args[2] : Files.createTempDirectory("ailurus-probe").toString());
        int idleSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        RaftHostConfig config = RaftHostConfig.defaults();

        List<RaftNodeHost> hosts = new ArrayList<>();
        List<LogManager> logManagers = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            hosts.add(RaftNodeHost.start("127.0.0.1", 0, config));
            logManagers.add(LogManager.open(dataDir.resolve("n" + r).resolve("data"), StorageConfig.defaults()));
        }
        List<PeerId> peers = new ArrayList<>();
        hosts.forEach(h -> peers.add(h.peerId()));
        Configuration conf = new Configuration(peers);

        int baseThreads = settle(threads);
        long baseHeap = usedHeapAfterGc(memory);
        System.out.printf("baseline (hosts up, no groups): threads=%d heapUsed=%.1f MiB%n", baseThreads,
                baseHeap / 1048576.0);

        List<List<PartitionStateMachine>> fsms = new ArrayList<>();
        long startNs = System.nanoTime();
        for (int g = 0; g < groups; g++) {
            List<PartitionStateMachine> members = new ArrayList<>();
            for (int r = 0; r < replicas; r++) {
                String id = "t-" + g;
                PartitionLog log = logManagers.get(r).openLog(id,
                        LogConfig.defaults().withSegmentBytes(1 << 20).withPreallocateBytes(1 << 16));
                PartitionStateMachine fsm = new PartitionStateMachine(id + "@" + r, config.maxInflightProposals());
                hosts.get(r).startGroup(id, hosts.get(r).peerId(), conf, fsm, log,
                        dataDir.resolve("n" + r).resolve("raft").resolve(id));
                members.add(fsm);
            }
            fsms.add(members);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (List<PartitionStateMachine> members : fsms) {
            while (members.stream().noneMatch(PartitionStateMachine::isLeader)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not every group elected a leader within 120 s");
                }
                Thread.sleep(10);
            }
        }
        System.out.printf("started %d groups x %d replicas, all with leaders, in %d ms%n", groups, replicas,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));

        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (List<PartitionStateMachine> members : fsms) {
            PartitionStateMachine leader = members.stream().filter(PartitionStateMachine::isLeader).findFirst()
                    .orElseThrow();
            writes.add(leader.propose(oneBatch()));
        }
        for (CompletableFuture<?> w : writes) {
            w.get(60, TimeUnit.SECONDS);
        }

        int groupThreads = settle(threads);
        long groupHeap = usedHeapAfterGc(memory);
        int groupReplicas = groups * replicas;
        System.out.printf("with groups: threads=%d (+%.2f per group replica) heapUsed=%.1f MiB (+%.1f KiB per group replica)%n",
                groupThreads, (groupThreads - baseThreads) / (double) groupReplicas, groupHeap / 1048576.0,
                (groupHeap - baseHeap) / 1024.0 / groupReplicas);

        // Which threads: names with their numbers stripped, most common first.
        java.util.Map<String, Integer> byName = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            byName.merge(t.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
        }
        byName.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(12)
                .forEach(e -> System.out.printf("  %5d  %s%n", e.getValue(), e.getKey()));

        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        Thread.sleep(idleSeconds * 1000L);
        double cpuMs = (os.getProcessCpuTime() - cpuBefore) / 1e6;
        double wallS = (System.nanoTime() - wallBefore) / 1e9;
        System.out.printf("idle: %.1f ms CPU per second in total, %.3f ms CPU per second per group replica%n",
                cpuMs / wallS, cpuMs / wallS / groupReplicas);

        for (RaftNodeHost h : hosts) {
            h.close();
        }
        for (LogManager m : logManagers) {
            m.close();
        }
    }

    private static ByteBuffer oneBatch() {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("probe".getBytes())).buffer();
    }

    /** The live thread count once it stops changing (thread pools start lazily). */
    private static int settle(ThreadMXBean threads) throws InterruptedException {
        int last = -1;
        for (int i = 0; i < 20; i++) {
            Thread.sleep(250);
            int now = threads.getThreadCount();
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
