package io.ailurus.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;

import io.ailurus.raft.partition.PartitionStateMachine;

class RaftNodeHostTest {

    @TempDir
    Path dir;

    @Test
    void manyGroupsShareOneHostAndNeedNoRocksDb() throws Exception {
        try (RaftTestNode a = new RaftTestNode(dir.resolve("a"), "g-a")) {
            RaftNodeHost host = a.host();
            assertEquals("127.0.0.1", host.endpoint().getIp());
            assertTrue(host.endpoint().getPort() > 0);
            PartitionStateMachine fsm = new PartitionStateMachine("g-a", 16);
            a.start(new Configuration(List.of(host.peerId())), fsm);
            RaftTestNode.await("leader", fsm::isLeader);
            assertEquals(1, host.groupCount());
            // rocksdbjni is not on the class path: the group above ran without touching it.
            assertThrows(ClassNotFoundException.class, () -> Class.forName("org.rocksdb.RocksDB"));
        }
    }

    @Test
    void aTakenPortIsAClearErrorAndAForeignSelfIsRefused() throws Exception {
        try (RaftNodeHost host = RaftNodeHost.start("127.0.0.1", 0, RaftTestNode.TEST_CONFIG)) {
            IOException taken = assertThrows(IOException.class,
                    () -> RaftNodeHost.start("127.0.0.1", host.endpoint().getPort(), RaftTestNode.TEST_CONFIG));
            assertTrue(taken.getMessage().contains(String.valueOf(host.endpoint().getPort())), taken.getMessage());

            PeerId stranger = PeerId.parsePeer("127.0.0.1:1");
            IllegalArgumentException wrongSelf = assertThrows(IllegalArgumentException.class,
                    () -> host.startGroup("g", stranger, new Configuration(List.of(stranger)),
                            new PartitionStateMachine("g", 16), null, dir));
            assertTrue(wrongSelf.getMessage().contains("not this host's endpoint"), wrongSelf.getMessage());
        }
    }

    @Test
    void badTuningIsRefusedByName() {
        IllegalArgumentException notPowerOfTwo = assertThrows(IllegalArgumentException.class,
                () -> new RaftHostConfig(3000, 10, 500, 256, 4, 1, 2, 5000));
        assertTrue(notPowerOfTwo.getMessage().contains("disruptorBufferSize"));
        IllegalArgumentException tooManyInflight = assertThrows(IllegalArgumentException.class,
                () -> new RaftHostConfig(3000, 10, 256, 512, 4, 1, 2, 5000));
        assertTrue(tooManyInflight.getMessage().contains("maxInflightProposals"));
    }
}
