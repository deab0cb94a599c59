package io.ailurus.raft.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.alipay.sofa.jraft.conf.Configuration;

import io.ailurus.raft.RaftTestNode;
import io.ailurus.raft.SnapshotPolicy;
import io.ailurus.raft.TestBatches;
import io.ailurus.storage.EntryType;
import io.ailurus.storage.LogEntry;

/** The controller group on one node: commands, restarts, snapshots, on real storage. */
class ControllerGroupTest {

    /** Far longer than any test: snapshots happen only when a test asks for one. */
    private static final SnapshotPolicy MANUAL = SnapshotPolicy.every(3600);

    @TempDir
    Path dir;

    private RaftTestNode node;
    private KvModel model;
    private ControllerStateMachine<KvModel.Put, String> fsm;
    private ControllerClient<KvModel.Put, String> client;

    @AfterEach
    void tearDown() {
        if (node != null) {
            node.close();
        }
    }

    private void start() throws Exception {
        if (node == null) {
            node = new RaftTestNode(dir, "controller");
        }
        model = new KvModel();
        fsm = new ControllerStateMachine<>("controller", model, 256);
        ControllerStateMachine<KvModel.Put, String> current = fsm;
        node.start(new Configuration(List.of(node.host().peerId())), fsm, MANUAL, current::nextOffsetOnReset);
        client = new ControllerClient<>(node.group(), fsm);
        RaftTestNode.await("controller leader", client::isLeader);
    }

    private String put(String key, String value) throws Exception {
        return client.submit(new KvModel.Put(key, value)).get(30, TimeUnit.SECONDS);
    }

    private Map<String, String> contents() throws Exception {
        return client.read(m -> ((KvModel) m).snapshotOfMap()).get(30, TimeUnit.SECONDS);
    }

    @Test
    void commandsAreAppliedInOrderAndStoredAsKafkaBatches() throws Exception {
        start();
        assertNull(put("topic/orders", "3"));
        assertEquals("3", put("topic/orders", "6"), "the model's result reaches the proposer");
        put("topic/payments", "1");
        assertEquals(Map.of("topic/orders", "6", "topic/payments", "1"), contents());

        int dataEntries = 0;
        long expectedOffset = 0;
        for (long i = node.log().firstIndex(); i <= node.log().lastIndex(); i++) {
            LogEntry e = node.log().entry(i);
            if (e.type() == EntryType.DATA) {
                dataEntries++;
                assertEquals(expectedOffset++, TestBatches.parse(e.payload()).baseOffset());
            }
        }
        assertEquals(3, dataEntries, "one record batch per command");
    }

    @Test
    void aCommandTheModelRejectsFailsAloneAndChangesNothing() throws Exception {
        start();
        put("a", "1");
        ExecutionException e = assertThrows(ExecutionException.class, () -> put("fail", "x"));
        assertInstanceOf(CommandFailedException.class, e.getCause());
        assertEquals("1", put("a", "2"));
        assertEquals(Map.of("a", "2"), contents());
    }

    @Test
    void restartReplaysTheLogIntoAFreshModel() throws Exception {
        start();
        for (int i = 0; i < 30; i++) {
            put("k" + (i % 7), "v" + i);
        }
        Map<String, String> before = contents();
        node.stop();

        start();
        RaftTestNode.await("replay", () -> model.snapshotOfMap().equals(before));
        assertEquals(0, fsm.snapshotsLoaded(), "no snapshot was taken, so none was loaded");
        assertEquals(30, fsm.commandsApplied(), "every command replayed from the log");
        assertEquals("v29", put("k1", "after"), "k1 was last set by command 29 (29 % 7 == 1)");
    }

    @Test
    void restartAfterSnapshotsLoadsTheSnapshotAndReplaysOnlyTheTail() throws Exception {
        start();
        for (int i = 0; i < 20; i++) {
            put("k" + i, "v" + i);
        }
        node.group().snapshot().get(30, TimeUnit.SECONDS);
        for (int i = 20; i < 30; i++) {
            put("k" + i, "v" + i);
        }
        // jraft truncates the log up to the previous snapshot when it takes the next one.
        node.group().snapshot().get(30, TimeUnit.SECONDS);
        assertEquals(2, fsm.snapshotsSaved());
        RaftTestNode.await("log prefix truncated behind the first snapshot", () -> node.log().firstIndex() > 20);
        for (int i = 30; i < 35; i++) {
            put("k" + i, "v" + i);
        }
        Map<String, String> before = contents();
        assertEquals(35, before.size());
        long firstIndexBefore = node.log().firstIndex();
        node.stop();

        start();
        RaftTestNode.await("restore", () -> model.snapshotOfMap().equals(before));
        assertEquals(1, fsm.snapshotsLoaded(), "state came from the snapshot");
        assertEquals(5, fsm.commandsApplied(), "only the commands after the last snapshot were replayed");
        assertEquals(firstIndexBefore, node.log().firstIndex(), "the truncated prefix stays gone");
        assertEquals("v34", put("k34", "again"));
        Map<String, String> expected = new TreeMap<>(before);
        expected.put("k34", "again");
        assertEquals(expected, contents());
        assertTrue(fsm.highWatermark() >= 36, "offsets continue after the snapshot: " + fsm.highWatermark());
    }
}
