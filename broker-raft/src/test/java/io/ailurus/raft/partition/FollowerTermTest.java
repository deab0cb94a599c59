package io.ailurus.raft.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.entity.LeaderChangeContext;
import com.alipay.sofa.jraft.entity.PeerId;

/** The term a follower reports follows the leader it starts following, before any entry of that term is applied. */
class FollowerTermTest {

    private static LeaderChangeContext following(int port, long term) {
        return new LeaderChangeContext(PeerId.parsePeer("127.0.0.1:" + port), term, Status.OK());
    }

    @Test
    void startingToFollowANewLeaderRaisesTheKnownTerm() {
        PartitionStateMachine fsm = new PartitionStateMachine("t-0", 16);
        assertEquals(0, fsm.lastKnownTerm());

        fsm.onStartFollowing(following(1001, 7));
        assertEquals(7, fsm.lastKnownTerm(), "the new leader's term, with nothing of it applied yet");
    }

    @Test
    void anOlderLeaderNeverLowersIt() {
        PartitionStateMachine fsm = new PartitionStateMachine("t-0", 16);
        fsm.onStartFollowing(following(1001, 7));
        fsm.onStartFollowing(following(1002, 5));
        assertEquals(7, fsm.lastKnownTerm());
    }
}
