package io.ailurus.core.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataState;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The replicated group model: commands, topic deletion, snapshots. */
class GroupStoreTest {

    @Test
    void groupCommandsRoundTripThroughTheirEncoding() throws Exception {
        PersistedGroup g = new PersistedGroup("g", PersistedGroup.CLASSIC, "consumer", "range", 3, "m1", 42,
            List.of(new PersistedMember("m1", "i1", "c", "/127.0.0.1", 1000, 2000, new byte[] {1, 2}, new byte[] {3})));
        List<MetadataCommand> commands = List.of(
            new MetadataCommand.CommitOffsets("g", List.of(new OffsetEntry("t", 1, 10, 2, "meta")), 99),
            new MetadataCommand.DeleteOffsets("g", List.of(new PartitionRef("t", 1))),
            new MetadataCommand.DeleteGroups(List.of("g", "h")));
        for (MetadataCommand c : commands) {
            assertEquals(c, MetadataState.decodeCommand(MetadataState.encodeCommand(c)));
        }
        var put = (MetadataCommand.PutGroup) MetadataState.decodeCommand(MetadataState.encodeCommand(new MetadataCommand.PutGroup(g)));
        assertEquals("i1", put.group().members().get(0).groupInstanceId());
        assertEquals(2, put.group().members().get(0).subscription()[1]);
    }

    @Test
    void offsetsAreStoredAsSentAndATopicsDeletionRemovesThem() {
        MetadataState s = new MetadataState();
        s.apply(1, new MetadataCommand.CreateTopic("a", "id-a", List.of(List.of(0), List.of(0)), Map.of()));
        s.apply(2, new MetadataCommand.CreateTopic("b", "id-b", List.of(List.of(0)), Map.of()));
        long imageIndex = s.image().appliedIndex();
        s.apply(3, new MetadataCommand.CommitOffsets("g", List.of(new OffsetEntry("a", 0, 5, 7, "m"),
            new OffsetEntry("a", 1, 6, -1, null), new OffsetEntry("b", 0, 9, 1, "")), 1000));
        s.apply(4, new MetadataCommand.CommitOffsets("h", List.of(new OffsetEntry("a", 0, 1, 1, "x")), 2000));
        assertEquals(imageIndex, s.image().appliedIndex(), "group commands do not republish the image");
        assertEquals(new CommittedOffset(5, 7, "m", 1000), s.groups().offset("g", new TopicPartition("a", 0)));
        assertNull(s.groups().offset("g", new TopicPartition("a", 1)).metadata());

        s.apply(5, new MetadataCommand.DeleteTopic("a"));
        assertEquals(Map.of(new TopicPartition("b", 0), new CommittedOffset(9, 1, "", 1000)), s.groups().offsets("g"));
        assertTrue(s.groups().offsets("h").isEmpty());
        assertEquals(java.util.Set.of("g"), s.groups().groupIds(), "a group left without offsets and metadata is gone");
    }

    @Test
    void snapshotsCarryGroupsAndOffsets() throws Exception {
        MetadataState s = new MetadataState();
        s.apply(1, new MetadataCommand.CreateTopic("a", "id-a", List.of(List.of(0)), Map.of()));
        for (int g = 0; g < 50; g++) {
            s.apply(2 + g, new MetadataCommand.CommitOffsets("g" + g, List.of(new OffsetEntry("a", 0, g, g, "m" + g)), g));
        }
        s.apply(100, new MetadataCommand.PutGroup(new PersistedGroup("g1", PersistedGroup.CLASSIC, "consumer", "range",
            4, "m", 5, List.of(new PersistedMember("m", null, "c", "h", 1, 2, new byte[0], new byte[] {9})))));
        s.apply(101, new MetadataCommand.DeleteOffsets("g2", List.of(new PartitionRef("a", 0))));

        MetadataState restored = new MetadataState();
        restored.restore(s.snapshot());
        assertEquals(s.image(), restored.image());
        assertEquals(49, restored.groups().offsetCount());
        assertEquals(new CommittedOffset(7, 7, "m7", 7), restored.groups().offset("g7", new TopicPartition("a", 0)));
        assertNull(restored.groups().offset("g2", new TopicPartition("a", 0)));
        assertEquals(4, restored.groups().group("g1").orElseThrow().generation());
        assertEquals(9, restored.groups().group("g1").orElseThrow().members().get(0).assignment()[0]);
    }

    @Test
    void aSnapshotOfTheImageAloneStillLoads() throws Exception {
        MetadataState s = new MetadataState();
        s.apply(1, new MetadataCommand.CreateTopic("a", "id-a", List.of(List.of(0)), Map.of()));
        byte[] old = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(s.image());
        MetadataState restored = new MetadataState();
        restored.restore(old);
        assertEquals(s.image(), restored.image());
        assertTrue(restored.groups().groupIds().isEmpty());
    }
}
