package io.ailurus.raft.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;

import io.ailurus.raft.RaftOperationException;
import io.ailurus.raft.RaftTestNode;
import io.ailurus.storage.EntryType;
import io.ailurus.storage.LogEntry;

/**
 * Membership changes of one partition group over real hosts: a fourth replica started with an
 * empty configuration joins through {@code changePeers}, catches up from the leader's log, and the
 * replaced member (the leader itself) leaves; leadership transfer moves the leader on request.
 */
class MembershipChangeTest {

    @TempDir
    Path dir;

    private PartitionReplicas replicas;

    @AfterEach
    void tearDown() {
        if (replicas != null) {
            replicas.close();
        }
    }

    private List<PeerId> createNodes(int count) throws Exception {
        replicas = new PartitionReplicas(dir, "moves-0", count);
        return replicas.peers();
    }

    private int awaitLeader(List<Integer> among) {
        return replicas.awaitLeader(among);
    }

    private long propose(int leader, String prefix, int count) throws Exception {
        return PartitionReplicas.lastIndex(replicas.propose(leader, prefix, count));
    }

    @Test
    void aNewReplicaJoinsCatchesUpAndTheReplacedLeaderLeaves() throws Exception {
        List<PeerId> peers = createNodes(4);
        Configuration founders = new Configuration(peers.subList(0, 3));
        for (int i = 0; i < 3; i++) {
            replicas.start(i, founders);
        }
        int leader = awaitLeader(List.of(0, 1, 2));
        long before = propose(leader, "before", 40);

        // The joining replica knows no members: it must wait to be added, not elect itself.
        replicas.start(3, new Configuration());
        List<PeerId> target = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            if (i != leader) {
                target.add(peers.get(i));
            }
        }
        replicas.node(leader).group().changePeers(target).get(60, TimeUnit.SECONDS);

        List<Integer> remaining = new ArrayList<>(List.of(0, 1, 2, 3));
        remaining.remove(Integer.valueOf(leader));
        int newLeader = awaitLeader(remaining);
        assertEquals(new HashSet<>(target), new HashSet<>(replicas.node(newLeader).group().peers()),
            "the new members are the group");
        long after = propose(newLeader, "after", 20);
        RaftTestNode.await("the joined replica applied everything",
            () -> replicas.fsm(3).commitIndex() >= after);

        // The joined replica's log holds the history from before it existed, byte for byte.
        int dataEntries = 0;
        for (long index = replicas.node(newLeader).log().firstIndex(); index <= before; index++) {
            LogEntry ref = replicas.node(newLeader).log().entry(index);
            LogEntry joined = replicas.node(3).log().entry(index);
            assertNotNull(joined, "the joined replica lacks index " + index);
            assertEquals(ref.type(), joined.type(), "type at " + index);
            if (ref.type() == EntryType.DATA) {
                dataEntries++;
                assertEquals(ref.payload(), joined.payload(), "payload at " + index);
            }
        }
        assertEquals(40, dataEntries, "every batch proposed before the join");
        assertEquals(replicas.fsm(newLeader).highWatermark(), replicas.fsm(3).highWatermark());
    }

    @Test
    void leadershipMovesOnRequestAndFollowersCannotChangeMembers() throws Exception {
        List<PeerId> peers = createNodes(3);
        Configuration conf = new Configuration(peers);
        for (int i = 0; i < 3; i++) {
            replicas.start(i, conf);
        }
        int leader = awaitLeader(List.of(0, 1, 2));
        propose(leader, "x", 5);
        int follower = (leader + 1) % 3;

        ExecutionException refused = assertThrows(ExecutionException.class,
            () -> replicas.node(follower).group().changePeers(peers.subList(0, 2)).get(30, TimeUnit.SECONDS));
        assertInstanceOf(RaftOperationException.class, refused.getCause());
        assertThrows(RaftOperationException.class, () -> replicas.node(follower).group().transferLeadershipTo(peers.get(leader)));

        replicas.node(leader).group().transferLeadershipTo(peers.get(follower));
        RaftTestNode.await("the follower leads", () -> replicas.fsm(follower).isLeader() && replicas.fsm(follower).leaderTerm() >= 0);
        assertTrue(!replicas.fsm(leader).isLeader(), "the old leader stepped down");
        propose(follower, "y", 5);
    }

    @Test
    void aLearnerGetsTheLogButNeitherVotesNorLeads() throws Exception {
        List<PeerId> peers = createNodes(4);
        Configuration founders = new Configuration(peers.subList(0, 3));
        for (int i = 0; i < 3; i++) {
            replicas.start(i, founders);
        }
        int leader = awaitLeader(List.of(0, 1, 2));
        propose(leader, "before", 20);

        replicas.start(3, new Configuration());
        replicas.node(leader).group().addLearners(List.of(peers.get(3))).get(30, TimeUnit.SECONDS);
        assertEquals(List.of(peers.get(3)), replicas.node(leader).group().learners());
        assertEquals(new HashSet<>(peers.subList(0, 3)), new HashSet<>(replicas.node(leader).group().peers()),
            "the voters did not change");
        // Asking again changes nothing (a restarted learner asks again).
        replicas.node(leader).group().addLearners(List.of(peers.get(3))).get(30, TimeUnit.SECONDS);
        assertEquals(List.of(peers.get(3)), replicas.node(leader).group().learners());
        long first = propose(leader, "with-learner", 10);
        RaftTestNode.await("the learner applied the log from the start", () -> replicas.fsm(3).commitIndex() >= first);

        // The leader goes: a voter takes over, never the learner, and the learner follows the new leader.
        replicas.node(leader).stop();
        List<Integer> voters = new ArrayList<>(List.of(0, 1, 2));
        voters.remove(Integer.valueOf(leader));
        int next = awaitLeader(voters);
        long after = propose(next, "after", 10);
        RaftTestNode.await("the learner follows the new leader", () -> replicas.fsm(3).commitIndex() >= after);
        assertTrue(!replicas.fsm(3).isLeader(), "a learner never leads");
    }
}
