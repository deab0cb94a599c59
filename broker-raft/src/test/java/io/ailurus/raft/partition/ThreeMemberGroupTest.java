package io.ailurus.raft.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.alipay.sofa.jraft.conf.Configuration;

import io.ailurus.raft.RaftHostConfig;
import io.ailurus.raft.RaftTestNode;
import io.ailurus.raft.TestBatches;
import io.ailurus.storage.EntryType;
import io.ailurus.storage.LogEntry;
import io.ailurus.storage.PartitionLog;

/**
 * Three replicas of one partition in one JVM: three Raft hosts on three loopback ports, three
 * data directories, real replication over bolt RPC.
 */
class ThreeMemberGroupTest {

    @TempDir
    Path dir;

    private PartitionReplicas replicas;
    private Configuration conf;

    @AfterEach
    void tearDown() {
        if (replicas != null) {
            replicas.close();
        }
    }

    private void startAll() throws Exception {
        startAll(RaftTestNode.TEST_CONFIG);
    }

    private void startAll(RaftHostConfig config) throws Exception {
        replicas = new PartitionReplicas(dir, "orders-0", 3, config);
        conf = replicas.startVoters(3);
    }

    private void restart(int i) throws Exception {
        replicas.start(i, conf);
    }

    private int awaitLeader() {
        return replicas.awaitLeader();
    }

    private List<ProposeResult> propose(int leader, String prefix, int count) throws Exception {
        return replicas.propose(leader, prefix, count);
    }

    private RaftTestNode node(int i) {
        return replicas.node(i);
    }

    private PartitionStateMachine fsm(int i) {
        return replicas.fsm(i);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Every DATA entry in [first, last] is byte-identical on the given replicas. */
    private void assertLogsIdentical(List<Integer> replicas, long lastIndex) {
        PartitionLog reference = node(replicas.get(0)).log();
        int dataEntries = 0;
        for (long index = reference.firstIndex(); index <= lastIndex; index++) {
            LogEntry ref = reference.entry(index);
            for (int r : replicas.subList(1, replicas.size())) {
                LogEntry other = node(r).log().entry(index);
                assertNotNull(other, "replica " + r + " lacks index " + index);
                assertEquals(ref.type(), other.type(), "type at " + index);
                assertEquals(ref.term(), other.term(), "term at " + index);
                if (ref.type() == EntryType.DATA) {
                    assertTrue(java.util.Arrays.equals(bytes(ref.payload()), bytes(other.payload())),
                            "replica " + r + " differs at index " + index);
                }
            }
            if (ref.type() == EntryType.DATA) {
                dataEntries++;
            }
        }
        assertTrue(dataEntries > 0, "compared some data");
    }

    @Test
    void replicatesFailsOverAndTheOldLeaderCatchesUp() throws Exception {
        startAll();
        int leader = awaitLeader();
        List<ProposeResult> first = propose(leader, "a", 30);
        long firstLast = first.get(first.size() - 1).index();
        long hw = fsm(leader).highWatermark();

        // Committed means a majority has it; wait for all three, then compare bytes.
        RaftTestNode.await("all replicas applied", () -> replicas.fsms().stream().allMatch(f -> f.commitIndex() >= firstLast));
        for (PartitionStateMachine f : replicas.fsms()) {
            assertEquals(hw, f.highWatermark(), "every replica's high watermark");
        }
        assertLogsIdentical(List.of(0, 1, 2), firstLast);
        int follower = (leader + 1) % 3;
        java.util.concurrent.ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class,
                () -> fsm(follower).propose(TestBatches.batch("x", 1)).get(10, TimeUnit.SECONDS));
        org.junit.jupiter.api.Assertions.assertInstanceOf(NotLeaderException.class, refused.getCause());

        // Stop the leader: the two others elect a new one and keep every committed batch.
        long oldTerm = fsm(leader).leaderTerm();
        node(leader).stop();
        int newLeader = awaitLeader();
        assertNotEquals(leader, newLeader);
        assertTrue(fsm(newLeader).leaderTerm() > oldTerm);
        RaftTestNode.await("new leader applied the old term's entries",
                () -> fsm(newLeader).highWatermark() >= hw);
        List<ProposeResult> second = propose(newLeader, "b", 20);
        assertEquals(hw, second.get(0).baseOffset(), "offsets continue after failover without a gap or overlap");
        long secondLast = second.get(second.size() - 1).index();

        // Restart the old leader: it catches up from the new leader.
        restart(leader);
        RaftTestNode.await("old leader caught up", () -> fsm(leader).commitIndex() >= secondLast);
        assertEquals(fsm(newLeader).highWatermark(), fsm(leader).highWatermark());
        assertLogsIdentical(List.of(newLeader, leader, 3 - leader - newLeader), secondLast);
        for (ProposeResult r : first) {
            assertEquals(r.baseOffset(),
                    TestBatches.parse(node(leader).log().entry(r.index()).payload()).baseOffset());
        }
    }

    @Test
    void anIsolatedLeadersUncommittedSuffixIsTruncatedWhenItRejoins() throws Exception {
        // A longer election timeout keeps the isolated leader leading long enough to append.
        startAll(RaftHostConfig.defaults().withElectionTimeoutMs(3000));
        int leader = awaitLeader();
        List<ProposeResult> committed = propose(leader, "a", 10);
        long committedLast = committed.get(committed.size() - 1).index();
        RaftTestNode.await("all replicas applied", () -> replicas.fsms().stream().allMatch(f -> f.commitIndex() >= committedLast));

        // Cut the leader off from both followers, then let it append batches no majority will see.
        List<Integer> followers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (i != leader) {
                followers.add(i);
                node(i).stop();
            }
        }
        PartitionLog isolatedLog = node(leader).log();
        List<CompletableFuture<ProposeResult>> doomed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            doomed.add(fsm(leader).propose(TestBatches.batch("lost" + i, 1)));
        }
        RaftTestNode.await("isolated leader appended locally (or lost leadership first)",
                () -> isolatedLog.lastIndex() > committedLast || !fsm(leader).isLeader());
        long isolatedLast = isolatedLog.lastIndex();
        assertTrue(isolatedLast > committedLast, "the isolated leader appended an uncommitted suffix");
        node(leader).stop();

        // The followers come back, elect a leader among themselves and commit other batches.
        for (int f : followers) {
            restart(f);
        }
        int newLeader = awaitLeader();
        List<ProposeResult> replacement = propose(newLeader, "c", 8);
        long replacementLast = replacement.get(replacement.size() - 1).index();
        assertTrue(replacementLast >= isolatedLast, "the new entries overlap the isolated suffix");

        restart(leader);
        RaftTestNode.await("old leader caught up", () -> fsm(leader).commitIndex() >= replacementLast);
        assertLogsIdentical(List.of(newLeader, leader), replacementLast);
        PartitionLog rejoined = node(leader).log();
        for (long index = committedLast + 1; index <= rejoined.lastIndex(); index++) {
            LogEntry e = rejoined.entry(index);
            if (e.type() == EntryType.DATA) {
                assertTrue(!TestBatches.values(e.payload()).get(0).startsWith("lost"),
                        "uncommitted batch at " + index + " was truncated");
            }
        }
        assertEquals(fsm(newLeader).highWatermark(), fsm(leader).highWatermark());
        for (CompletableFuture<ProposeResult> f : doomed) {
            assertTrue(f.isCompletedExceptionally(), "the isolated leader's proposals failed");
        }
    }
}
