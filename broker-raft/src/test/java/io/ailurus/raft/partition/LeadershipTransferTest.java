package io.ailurus.raft.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.alipay.sofa.jraft.entity.PeerId;

import io.ailurus.raft.RaftTestNode;
import io.ailurus.raft.TestBatches;

/**
 * A leadership transfer that times out leaves the leader leading the same term. jraft refuses
 * proposals while it transfers and takes them again afterwards, so a batch refused in that window
 * while a later one gets in would be a hole in a producer's sequence (FaultInjectionTest saw an
 * idempotent producer's acknowledged records out of order). The state machine must therefore stop
 * stamping before the transfer starts and let the proposals in flight finish first.
 */
class LeadershipTransferTest {

    @TempDir
    Path dir;

    private PartitionReplicas replicas;

    @AfterEach
    void tearDown() {
        if (replicas != null) {
            replicas.close();
        }
    }

    @Test
    void aTransferThatTimesOutRefusesNothingItStampedAndLeavesNoOffsetGap() throws Exception {
        replicas = new PartitionReplicas(dir, "transfer-0", 3);
        replicas.startVoters(3);
        int leader = replicas.awaitLeader();
        PartitionStateMachine fsm = replicas.fsm(leader);
        List<PeerId> peers = replicas.peers();
        fsm.propose(TestBatches.batch("warm", 1)).get(30, TimeUnit.SECONDS);

        // The transfer target is down: jraft starts the transfer, waits for the target in vain, and
        // after an election timeout takes leadership back in the same term.
        int target = (leader + 1) % 3;
        replicas.node(target).stop();
        long term = fsm.leaderTerm();

        // A burst still in flight when the transfer is asked for.
        List<CompletableFuture<ProposeResult>> burst = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            burst.add(fsm.propose(TestBatches.batch("burst" + i, 2)));
        }
        replicas.node(leader).group().transferLeadershipTo(peers.get(target));

        // While transferring, a proposal is refused before it is stamped (at once, as not-leader).
        CompletableFuture<ProposeResult> during = fsm.propose(TestBatches.batch("during", 1));
        assertTrue(during.isDone(), "a proposal during the transfer is answered at once");
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> during.get(1, TimeUnit.SECONDS));
        assertInstanceOf(NotLeaderException.class, refused.getCause());

        // Every batch of the burst was stamped before the transfer: all of them are committed.
        long next = -1;
        for (CompletableFuture<ProposeResult> f : burst) {
            ProposeResult r = f.get(30, TimeUnit.SECONDS);
            if (next >= 0) {
                assertEquals(next, r.baseOffset(), "burst offsets are contiguous");
            }
            next = r.lastOffset() + 1;
        }

        RaftTestNode.await("the transfer timed out and the leader leads again",
                () -> fsm.isLeader() && !fsm.isTransferring());
        assertEquals(term, fsm.leaderTerm(), "still the same term");
        ProposeResult after = fsm.propose(TestBatches.batch("after", 1)).get(30, TimeUnit.SECONDS);
        assertEquals(next, after.baseOffset(), "the refused proposal took no offset: no gap after the transfer");
        assertFalse(fsm.isTransferring());
    }
}
