package io.ailurus.raft.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;

import io.ailurus.raft.RaftTestNode;
import io.ailurus.raft.TestBatches;
import io.ailurus.storage.EntryType;
import io.ailurus.storage.LogEntry;

/** A one-member jraft group on our storage: real files, a real RPC server on loopback. */
class SingleMemberGroupTest {

    @TempDir
    Path dir;

    private RaftTestNode node;

    @AfterEach
    void tearDown() {
        if (node != null) {
            node.close();
        }
    }

    private PartitionStateMachine startLeader(Configuration conf) throws Exception {
        PartitionStateMachine fsm = new PartitionStateMachine("p0", 256);
        node.start(conf, fsm);
        RaftTestNode.await("self-election", fsm::isLeader);
        return fsm;
    }

    private Configuration selfOnly() throws Exception {
        return new Configuration(List.of(node.host().peerId()));
    }

    private static List<ProposeResult> proposeAll(PartitionStateMachine fsm, int batches, int firstRecords)
            throws Exception {
        List<CompletableFuture<ProposeResult>> futures = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            futures.add(fsm.propose(TestBatches.batch("b" + i, firstRecords + i % 4)));
        }
        List<ProposeResult> results = new ArrayList<>();
        for (CompletableFuture<ProposeResult> f : futures) {
            results.add(f.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    @Test
    void proposedBatchesAreAppliedAndStoredWithStampedOffsetsAndTerms() throws Exception {
        node = new RaftTestNode(dir, "p0");
        PartitionStateMachine fsm = startLeader(selfOnly());
        long term = fsm.leaderTerm();

        List<ProposeResult> results = proposeAll(fsm, 40, 1);

        long expectedBase = 0;
        long previousIndex = 0;
        for (int i = 0; i < results.size(); i++) {
            ProposeResult r = results.get(i);
            int records = 1 + i % 4;
            assertEquals(expectedBase, r.baseOffset(), "batch " + i + " base offset");
            assertEquals(expectedBase + records - 1, r.lastOffset(), "batch " + i + " last offset");
            assertEquals(term, r.term());
            assertTrue(r.index() > previousIndex, "indexes increase");
            previousIndex = r.index();
            expectedBase += records;

            // What is on disk is the stamped Kafka batch, at the Raft index jraft chose.
            LogEntry stored = node.log().entry(r.index());
            assertEquals(EntryType.DATA, stored.type());
            assertEquals(term, stored.term());
            RecordBatch batch = TestBatches.parse(stored.payload());
            assertTrue(batch.isValid(), "CRC intact");
            assertEquals(r.baseOffset(), batch.baseOffset());
            assertEquals(r.lastOffset(), batch.lastOffset());
            assertEquals(term, batch.partitionLeaderEpoch());
            assertEquals("b" + i + "-0", TestBatches.values(stored.payload()).get(0));
        }
        assertEquals(expectedBase, fsm.highWatermark());
        assertEquals(previousIndex, fsm.commitIndex());
        // jraft's first entry as leader is its configuration: stored, flagged, not Kafka data.
        assertEquals(EntryType.RAFT_CONFIGURATION, node.log().entry(node.log().firstIndex()).type());
    }

    @Test
    void theHostsObserverSeesEachAppliedProposalAndTheLeadership() throws Exception {
        node = new RaftTestNode(dir, "p0");
        List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicLong applied = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong nonPositive = new java.util.concurrent.atomic.AtomicLong();
        // Set before the group starts: the first election must be reported too.
        node.host().setObserver(new io.ailurus.raft.RaftObserver() {
            @Override
            public void proposalApplied(String groupId, long nanos) {
                applied.incrementAndGet();
                if (nanos <= 0 || !groupId.equals("p0")) {
                    nonPositive.incrementAndGet();
                }
            }

            @Override
            public void leaderStarted(String groupId, long term) {
                events.add("start " + groupId + " " + term);
            }

            @Override
            public void leaderStopped(String groupId) {
                events.add("stop " + groupId);
            }
        });
        PartitionStateMachine fsm = startLeader(selfOnly());
        long term = fsm.leaderTerm();
        proposeAll(fsm, 12, 1);

        assertEquals(12, applied.get(), "one commit-latency sample per proposal");
        assertEquals(0, nonPositive.get(), "each sample is a positive duration under the group's id");
        assertEquals(List.of("start p0 " + term), events);
        node.stop();
        assertEquals(List.of("start p0 " + term, "stop p0"), events, "shutting down ends the leadership");
    }

    @Test
    void restartRecoversTheLogTheHighWatermarkAndTheMembershipFromTheLog() throws Exception {
        node = new RaftTestNode(dir, "p0");
        PartitionStateMachine fsm = startLeader(selfOnly());
        PeerId self = node.host().peerId();
        List<ProposeResult> before = proposeAll(fsm, 25, 2);
        long hw = fsm.highWatermark();
        long lastIndex = before.get(before.size() - 1).index();
        long oldTerm = fsm.leaderTerm();
        node.stop();

        // Restart with an EMPTY initial configuration: the membership can only come from the
        // configuration entries the storage reloads into jraft on init.
        PartitionStateMachine restarted = new PartitionStateMachine("p0", 256);
        node.start(new Configuration(), restarted);
        RaftTestNode.await("re-election from the reloaded configuration", restarted::isLeader);
        assertEquals(List.of(self), node.group().node().listPeers());
        assertTrue(restarted.leaderTerm() > oldTerm, "a new term after restart");
        RaftTestNode.await("replay of the log", () -> restarted.highWatermark() == hw);
        assertTrue(restarted.commitIndex() >= lastIndex);

        ProposeResult next = restarted.propose(TestBatches.batch("after", 3)).get(30, TimeUnit.SECONDS);
        assertEquals(hw, next.baseOffset(), "offsets continue where they stopped");
        assertEquals(restarted.leaderTerm(), TestBatches.parse(node.log().entry(next.index()).payload())
                .partitionLeaderEpoch());
        for (ProposeResult r : before) {
            assertEquals(r.baseOffset(), TestBatches.parse(node.log().entry(r.index()).payload()).baseOffset());
        }
    }

    @Test
    void badInputIsRefusedAndNothingIsProposed() throws Exception {
        node = new RaftTestNode(dir, "p0");
        PartitionStateMachine fsm = startLeader(selfOnly());
        long lastIndexBefore = node.log().lastIndex();

        ByteBuffer notABatch = ByteBuffer.wrap(new byte[100]);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> fsm.propose(notABatch).get(10, TimeUnit.SECONDS));
        assertInstanceOf(InvalidBatchException.class, e.getCause());
        assertEquals(lastIndexBefore, node.log().lastIndex());

        ProposeResult ok = fsm.propose(TestBatches.batch("good", 1)).get(30, TimeUnit.SECONDS);
        assertEquals(0, ok.baseOffset(), "a refused proposal takes no offsets");
    }

    @Test
    void aGroupNotYetStartedOrStoppedRefusesProposals() throws Exception {
        node = new RaftTestNode(dir, "p0");
        PartitionStateMachine fsm = new PartitionStateMachine("p0", 256);
        ExecutionException notStarted = assertThrows(ExecutionException.class,
                () -> fsm.propose(TestBatches.batch("x", 1)).get(10, TimeUnit.SECONDS));
        assertInstanceOf(NotLeaderException.class, notStarted.getCause());

        node.start(selfOnly(), fsm);
        RaftTestNode.await("self-election", fsm::isLeader);
        node.group().stop();
        ExecutionException stopped = assertThrows(ExecutionException.class,
                () -> fsm.propose(TestBatches.batch("x", 1)).get(10, TimeUnit.SECONDS));
        assertInstanceOf(NotLeaderException.class, stopped.getCause());
    }

    @Test
    void membershipIsRecoveredByScanningTheLogWhenTheConfigurationIndexIsLost() throws Exception {
        node = new RaftTestNode(dir, "p0");
        PartitionStateMachine fsm = startLeader(selfOnly());
        PeerId self = node.host().peerId();
        proposeAll(fsm, 5, 1);
        long hw = fsm.highWatermark();
        node.stop();
        java.nio.file.Path index = dir.resolve("raft").resolve("p0").resolve("raft-configuration.idx");
        assertTrue(java.nio.file.Files.exists(index), "the index was written");
        java.nio.file.Files.delete(index);

        PartitionStateMachine restarted = new PartitionStateMachine("p0", 256);
        node.start(new Configuration(), restarted);
        RaftTestNode.await("re-election from the scanned configuration", restarted::isLeader);
        assertEquals(List.of(self), node.group().node().listPeers());
        RaftTestNode.await("replay", () -> restarted.highWatermark() == hw);
        assertTrue(java.nio.file.Files.exists(index), "the index is rebuilt");
    }
}
