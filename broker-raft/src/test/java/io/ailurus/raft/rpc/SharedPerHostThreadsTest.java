package io.ailurus.raft.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.util.RpcFactoryHelper;

import io.ailurus.raft.Await;
import io.ailurus.raft.RaftNodeHost;
import io.ailurus.raft.RaftTestNode;
import io.ailurus.raft.TestBatches;
import io.ailurus.raft.partition.PartitionStateMachine;
import io.ailurus.storage.LogConfig;
import io.ailurus.storage.LogManager;
import io.ailurus.storage.StorageConfig;

/**
 * Many three-replica groups on three hosts in one JVM share one bolt RPC client and the hosts'
 * append-entries stripes: starting more groups adds no bolt client threads (each bolt client has a
 * task scanner, a connection healer and a connection-event executor) and no per-pair
 * append-entries threads (jraft's {@code <group>/PeerPair[..]-AppendEntriesThread}), and stopping
 * the groups gives every client reference and connect listener back.
 */
class SharedPerHostThreadsTest {

    /** Threads every bolt client starts for itself, and jraft's per leader-follower pair thread. */
    private static final List<String> PER_CLIENT_OR_PAIR_THREADS =
            List.of("RpcTaskScannerThread", "Bolt-heal-connection", "Bolt-conn-event-executor", "AppendEntriesThread");

    @TempDir
    Path dir;

    private final List<RaftNodeHost> hosts = new ArrayList<>();
    private final List<LogManager> logs = new ArrayList<>();
    private final List<List<PartitionStateMachine>> groups = new ArrayList<>();
    private Configuration conf;

    @AfterEach
    void tearDown() throws Exception {
        hosts.forEach(RaftNodeHost::close);
        for (LogManager m : logs) {
            m.close();
        }
    }

    @Test
    void groupsShareOneBoltClientAndGiveItBack() throws Exception {
        assertInstanceOf(SharedClientRaftRpcFactory.class, RpcFactoryHelper.rpcFactory(),
                "jraft must load our RPC factory through its service loader");
        List<PeerId> peers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            RaftNodeHost host = RaftNodeHost.start("127.0.0.1", 0, RaftTestNode.TEST_CONFIG);
            hosts.add(host);
            peers.add(host.peerId());
            logs.add(LogManager.open(dir.resolve("n" + r).resolve("data"), StorageConfig.defaults()));
        }
        conf = new Configuration(peers);
        int referencesBefore = SharedBoltClient.references();
        int listenersBefore = SharedBoltClient.connectListeners();

        // One group first: whatever the first client costs is paid here.
        startAndReplicate(1);
        Map<String, Integer> afterOne = settledThreads();
        int createdAfterOne = SharedBoltClient.clientsCreated();

        int more = 8;
        startAndReplicate(more);
        Map<String, Integer> afterMany = settledThreads();

        // Per group (what sharing removes) would be 3 more threads of a kind per added group (one per replica).
        // Bolt starts some executors lazily, on a connection's first event, so one more thread of a kind
        // may appear after the first group: fewer than one per added group is sharing; CI once saw
        // Bolt-conn-event-executor go from 3 to 4.
        for (String kind : PER_CLIENT_OR_PAIR_THREADS) {
            assertTrue(afterMany.get(kind) - afterOne.get(kind) < more,
                    kind + " threads grew with the number of groups: " + afterOne + " after one group, "
                            + afterMany + " after " + (1 + more));
        }
        assertEquals(createdAfterOne, SharedBoltClient.clientsCreated(), "a group started its own bolt client");
        // One reference and one connect listener per group replica (every node registers one).
        assertEquals(referencesBefore + 3 * (1 + more), SharedBoltClient.references());
        assertEquals(listenersBefore + 3 * (1 + more), SharedBoltClient.connectListeners());

        for (int g = 0; g < 1 + more; g++) {
            for (RaftNodeHost host : hosts) {
                host.stopGroup("shared-" + g);
            }
        }
        assertEquals(referencesBefore, SharedBoltClient.references(), "stopped groups still hold the client");
        assertEquals(listenersBefore, SharedBoltClient.connectListeners(), "stopped groups left listeners behind");
    }

    /** Starts {@code count} more three-replica groups, waits for leaders and commits a batch in each. */
    private void startAndReplicate(int count) throws Exception {
        int first = groups.size();
        for (int g = first; g < first + count; g++) {
            String id = "shared-" + g;
            List<PartitionStateMachine> members = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                PartitionStateMachine fsm = new PartitionStateMachine(id + "@" + r, 64);
                hosts.get(r).startGroup(id, hosts.get(r).peerId(), conf, fsm,
                        logs.get(r).openLog(id, LogConfig.defaults().withSegmentBytes(1 << 20).withPreallocateBytes(1 << 16)),
                        dir.resolve("n" + r).resolve("raft").resolve(id));
                members.add(fsm);
            }
            groups.add(members);
        }
        for (List<PartitionStateMachine> members : groups.subList(first, first + count)) {
            Await.until(Duration.ofSeconds(60), "a leader", () -> members.stream().anyMatch(PartitionStateMachine::isLeader));
            PartitionStateMachine leader = members.stream().filter(PartitionStateMachine::isLeader).findFirst().orElseThrow();
            leader.propose(TestBatches.batch("v", 1)).get(30, TimeUnit.SECONDS);
            // Committed on the leader means a follower has it too; wait for all three to apply it.
            Await.until(Duration.ofSeconds(30), "every replica applied the batch",
                    () -> members.stream().allMatch(m -> m.highWatermark() > 0));
        }
    }

    /** Live threads of each kind, once the counts stop changing (pools start lazily). */
    private static Map<String, Integer> settledThreads() throws InterruptedException {
        Map<String, Integer> last = null;
        for (int i = 0; i < 20; i++) {
            Thread.sleep(250);
            Map<String, Integer> now = new TreeMap<>();
            PER_CLIENT_OR_PAIR_THREADS.forEach(k -> now.put(k, 0));
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                for (String kind : PER_CLIENT_OR_PAIR_THREADS) {
                    if (t.isAlive() && t.getName().contains(kind)) {
                        now.merge(kind, 1, Integer::sum);
                    }
                }
            }
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        assertTrue(last != null);
        return last;
    }
}
