package io.ailurus.core.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataStateTest {

    @Test
    void commandsRoundTripThroughTheirEncoding() throws Exception {
        List<MetadataCommand> commands = List.of(
            new MetadataCommand.RegisterBroker(0, "127.0.0.1", 9092, null, "127.0.0.1:33145"),
            new MetadataCommand.CreateTopic("t", "id-1", List.of(List.of(0), List.of(0)), Map.of("retention.ms", "1000")),
            new MetadataCommand.AlterTopicConfig("t", Map.of("segment.bytes", "1048576"), List.of("retention.ms")),
            new MetadataCommand.CreatePartitions("t", List.of(List.of(0))),
            new MetadataCommand.AllocateProducerIds(0, 1000),
            new MetadataCommand.DeleteTopic("t"));
        for (MetadataCommand c : commands) {
            assertEquals(c, MetadataState.decodeCommand(MetadataState.encodeCommand(c)));
        }
    }

    @Test
    void topicLifecycleAndConflicts() {
        MetadataState s = new MetadataState();
        assertTrue(s.apply(1, new MetadataCommand.CreateTopic("t", "id", List.of(List.of(0), List.of(0)), Map.of())).isOk());
        assertEquals(CommandResult.Error.TOPIC_ALREADY_EXISTS,
            s.apply(2, new MetadataCommand.CreateTopic("t", "id2", List.of(List.of(0)), Map.of())).error());
        assertTrue(s.apply(3, new MetadataCommand.CreatePartitions("t", List.of(List.of(0)))).isOk());
        assertEquals(3, s.image().topic("t").orElseThrow().partitionCount());
        assertEquals("id", s.image().topic("t").orElseThrow().topicId());
        assertTrue(s.apply(4, new MetadataCommand.AlterTopicConfig("t", Map.of("retention.ms", "5"), List.of())).isOk());
        assertEquals("5", s.image().topic("t").orElseThrow().configs().get("retention.ms"));
        assertTrue(s.apply(5, new MetadataCommand.DeleteTopic("t")).isOk());
        assertFalse(s.image().topic("t").isPresent());
        assertEquals(CommandResult.Error.UNKNOWN_TOPIC_OR_PARTITION, s.apply(6, new MetadataCommand.DeleteTopic("t")).error());
        assertEquals(6, s.image().appliedIndex());
    }

    @Test
    void producerIdBlocksNeverOverlap() {
        MetadataState s = new MetadataState();
        long a = s.apply(1, new MetadataCommand.AllocateProducerIds(0, 100)).value();
        long b = s.apply(2, new MetadataCommand.AllocateProducerIds(1, 100)).value();
        assertEquals(a + 100, b);
    }

    @Test
    void snapshotRestoresTheSameImage() throws Exception {
        MetadataState s = new MetadataState();
        s.apply(1, new MetadataCommand.RegisterBroker(0, "h", 1, "r1", "h:2"));
        s.apply(2, new MetadataCommand.CreateTopic("t", "id", List.of(List.of(0, 1)), Map.of("cleanup.policy", "compact")));
        s.apply(3, new MetadataCommand.AlterClusterConfig(Map.of("auto_create_topics_enabled", "true"), List.of()));
        s.apply(4, new MetadataCommand.AllocateProducerIds(0, 10));
        MetadataState restored = new MetadataState();
        restored.restore(s.snapshot());
        assertEquals(s.image(), restored.image());
    }
}
