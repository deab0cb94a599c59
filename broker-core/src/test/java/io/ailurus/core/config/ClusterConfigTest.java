package io.ailurus.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Run-time changes of cluster properties, as the admin API and AlterConfigs will make them. */
class ClusterConfigTest {

    @Test
    void redpandaDefaults() {
        ClusterConfig c = ClusterConfig.defaults();
        assertFalse(c.autoCreateTopicsEnabled());
        assertEquals(1, c.defaultTopicPartitions());
        assertEquals(1, c.defaultTopicReplications());
        assertEquals(100 << 20, c.kafkaRequestMaxBytes());
        assertEquals(1L << 30, c.logSegmentSize());
        assertEquals(14L * 24 * 3600 * 1000, c.logSegmentMs());
        assertEquals(7L * 24 * 3600 * 1000, c.logRetentionMs());
        assertTrue(c.retentionBytes().isEmpty());
        assertEquals(3000, c.groupInitialRebalanceDelayMs());
        assertEquals(7L * 24 * 3600, c.groupOffsetRetentionSec());
        assertEquals(List.of("delete"), c.logCleanupPolicy());
        assertTrue(c.kafkaConnectionsMax().isEmpty());
    }

    @Test
    void textChangesAreParsedAndRememberTheirSource() {
        ClusterConfig c = ClusterConfig.defaults()
                .withText("log_segment_size", "64M", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG)
                .withText("log_cleanup_policy", "compact,delete", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        assertEquals(64L << 20, c.logSegmentSize());
        assertEquals(List.of("compact", "delete"), c.logCleanupPolicy());
        assertEquals(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, c.source(ClusterConfigKeys.LOG_SEGMENT_SIZE));
        assertEquals("67108864", c.asText().get("log_segment_size"));
        ClusterConfig reset = c.reset(ClusterConfigKeys.LOG_SEGMENT_SIZE);
        assertEquals(1L << 30, reset.logSegmentSize());
        assertEquals(ConfigSource.DEFAULT_CONFIG, reset.source(ClusterConfigKeys.LOG_SEGMENT_SIZE));
        assertEquals(1L << 30, ClusterConfig.defaults().logSegmentSize(), "the original is unchanged");
    }

    @Test
    void unknownPropertyGetsASuggestion() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ClusterConfig.defaults().withText("auto_create_topic_enabled", "true", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));
        assertEquals("unknown cluster property 'auto_create_topic_enabled' (did you mean 'auto_create_topics_enabled'?)", e.getMessage());
    }

    @Test
    void badValueIsRejectedAndNothingChanges() {
        ClusterConfig before = ClusterConfig.defaults();
        ConfigException e = assertThrows(ConfigException.class,
                () -> before.withText("log_segment_size", "1K", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));
        assertEquals("log_segment_size: invalid value '1K': expected a byte size such as 1048576, 512K, 64M or 1G"
                + " (suffixes are powers of 1024), within [1048576, 2147483647]", e.getMessage());
        assertEquals(1L << 30, before.logSegmentSize());
    }

    @Test
    void batchLargerThanARequestIsInconsistent() {
        ConfigException e = assertThrows(ConfigException.class, () -> ClusterConfig.defaults()
                .withText("kafka_batch_max_bytes", "200000000", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));
        assertTrue(e.getMessage().startsWith("cluster.kafka_batch_max_bytes (200000000) must not exceed cluster.kafka_request_max_bytes"),
                e.getMessage());
    }

    @Test
    void nodeKeysAreNotClusterProperties() {
        assertThrows(IllegalArgumentException.class, () -> ClusterConfig.defaults().get(NodeConfigKeys.NODE_ID));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ClusterConfig.defaults().withText("node_id", "1", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));
        assertEquals("unknown cluster property 'node_id' ('node_id' belongs in the 'ailurus:' section)", e.getMessage());
    }
}
