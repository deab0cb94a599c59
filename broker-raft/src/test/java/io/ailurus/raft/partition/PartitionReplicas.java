package io.ailurus.raft.partition;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;

import io.ailurus.raft.RaftHostConfig;
import io.ailurus.raft.RaftTestNode;
import io.ailurus.raft.TestBatches;

/**
 * Replicas of one partition group in one JVM for tests: one {@link RaftTestNode} (host on a loopback
 * port, own data directory) and one {@link PartitionStateMachine} per replica. Hosts are bound at
 * construction so that every replica's peer id is known before any group starts; each replica is
 * started (and restarted) with a fresh state machine, as a broker process would be.
 */
final class PartitionReplicas implements AutoCloseable {

    private final String groupId;
    private final List<RaftTestNode> nodes = new ArrayList<>();
    private final List<PartitionStateMachine> fsms = new ArrayList<>();
    private final List<PeerId> peers = new ArrayList<>();

    PartitionReplicas(Path dir, String groupId, int count) throws IOException {
        this(dir, groupId, count, RaftTestNode.TEST_CONFIG);
    }

    PartitionReplicas(Path dir, String groupId, int count, RaftHostConfig config) throws IOException {
        this.groupId = groupId;
        for (int i = 0; i < count; i++) {
            RaftTestNode node = new RaftTestNode(dir.resolve("n" + i), groupId, config);
            nodes.add(node);
            fsms.add(null);
            peers.add(node.host().peerId());
        }
    }

    /** Every replica's peer id, by index. */
    List<PeerId> peers() {
        return peers;
    }

    /** The configuration of the first {@code count} replicas. */
    Configuration firstAsVoters(int count) {
        return new Configuration(peers.subList(0, count));
    }

    RaftTestNode node(int i) {
        return nodes.get(i);
    }

    PartitionStateMachine fsm(int i) {
        return fsms.get(i);
    }

    List<PartitionStateMachine> fsms() {
        return fsms;
    }

    /** Starts replica {@code i} (again, after a stop) with a fresh state machine and {@code conf}. */
    void start(int i, Configuration conf) throws IOException {
        PartitionStateMachine fsm = new PartitionStateMachine(groupId + "@n" + i, 256);
        fsms.set(i, fsm);
        nodes.get(i).start(conf, fsm);
    }

    /** Starts replicas {@code 0..count-1} as the group's voters. */
    Configuration startVoters(int count) throws IOException {
        Configuration conf = firstAsVoters(count);
        for (int i = 0; i < count; i++) {
            start(i, conf);
        }
        return conf;
    }

    /** Waits for a running replica among {@code among} to lead with its term known; returns its index. */
    int awaitLeader(Collection<Integer> among) {
        int[] leader = {-1};
        RaftTestNode.await("a leader among replicas " + among, () -> {
            for (int i : among) {
                PartitionStateMachine fsm = fsms.get(i);
                if (nodes.get(i).running() && fsm != null && fsm.isLeader() && fsm.leaderTerm() >= 0) {
                    leader[0] = i;
                    return true;
                }
            }
            return false;
        });
        return leader[0];
    }

    /** Waits for a leader among all replicas. */
    int awaitLeader() {
        return awaitLeader(IntStream.range(0, nodes.size()).boxed().toList());
    }

    /**
     * Proposes {@code count} batches (of 1 to 3 records, values {@code prefix<i>-<j>}) to replica
     * {@code leader} all at once and waits for every one to commit.
     */
    List<ProposeResult> propose(int leader, String prefix, int count) throws Exception {
        List<CompletableFuture<ProposeResult>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(fsms.get(leader).propose(TestBatches.batch(prefix + i, 1 + i % 3)));
        }
        List<ProposeResult> results = new ArrayList<>();
        for (CompletableFuture<ProposeResult> f : futures) {
            results.add(f.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    /** The Raft index of the last of {@code results}. */
    static long lastIndex(List<ProposeResult> results) {
        return results.get(results.size() - 1).index();
    }

    @Override
    public void close() {
        nodes.forEach(RaftTestNode::close);
    }
}
