package io.ailurus.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Topic properties: Kafka's names and ranges, defaults from the cluster, DescribeConfigs view. */
class TopicConfigDefTest {

    @Test
    void defaultsAreKafkasWhereTheClusterDoesNotSayOtherwise() {
        TopicConfig t = TopicConfigDef.resolve(Map.of(), ClusterConfig.defaults());
        assertEquals(List.of("delete"), t.cleanupPolicy());
        assertEquals(604_800_000L, t.retentionMs());
        assertEquals(-1L, t.retentionBytes(), "no cluster retention_bytes means -1");
        assertEquals(1 << 30, t.segmentBytes());
        assertEquals(1_048_588, t.maxMessageBytes());
        assertEquals("CreateTime", t.messageTimestampType());
        assertEquals(3_600_000L, t.messageTimestampAfterMaxMs());
        assertEquals(Long.MAX_VALUE, t.messageTimestampBeforeMaxMs());
        assertEquals(1, t.minInsyncReplicas());
        assertEquals("producer", t.compressionType());
        assertEquals(0.5, t.minCleanableDirtyRatio());
        assertEquals(86_400_000L, t.deleteRetentionMs());
        assertFalse(t.get(TopicConfigDef.UNCLEAN_LEADER_ELECTION_ENABLE));
        assertTrue(t.overrides().isEmpty());
    }

    @Test
    void clusterPropertiesFeedTopicDefaultsAndOverridesWin() {
        ClusterConfig cluster = ClusterConfig.defaults()
                .withText("log_retention_ms", "1000", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG)
                .withText("retention_bytes", "5M", ConfigSource.STATIC_BROKER_CONFIG)
                .withText("log_cleanup_policy", "compact", ConfigSource.STATIC_BROKER_CONFIG);
        TopicConfig inherited = TopicConfigDef.resolve(Map.of(), cluster);
        assertEquals(1000L, inherited.retentionMs());
        assertEquals(5L << 20, inherited.retentionBytes());
        assertTrue(inherited.compact());
        assertFalse(inherited.delete());
        TopicConfig overridden = TopicConfigDef.resolve(Map.of("retention.ms", "-1", "cleanup.policy", "delete,compact"), cluster);
        assertEquals(-1L, overridden.retentionMs());
        assertTrue(overridden.compact() && overridden.delete());
        assertEquals(Map.of("retention.ms", "-1", "cleanup.policy", "delete,compact"), overridden.overrides());
    }

    @Test
    void validationNamesEveryProblem() {
        Map<String, String> bad = new HashMap<>();
        bad.put("retention.msx", "1");
        bad.put("segment.bytes", "1000");
        bad.put("cleanup.policy", "shred");
        bad.put("unclean.leader.election.enable", "true");
        bad.put("message.timestamp.type", "WallClock");
        List<String> errors = TopicConfigDef.validate(bad);
        assertEquals(5, errors.size(), errors.toString());
        assertTrue(errors.contains("unknown topic config 'retention.msx' (did you mean 'retention.ms'?)"), errors.toString());
        assertTrue(errors.contains("segment.bytes: invalid value '1000': expected an integer >= 1048576"), errors.toString());
        assertTrue(errors.contains("cleanup.policy: invalid value 'shred': expected a comma-separated list of delete, compact"),
                errors.toString());
        assertTrue(errors.contains("unclean.leader.election.enable: invalid value 'true': expected false: Raft never elects"
                + " a replica that may lack acknowledged writes"), errors.toString());
        assertTrue(errors.contains("message.timestamp.type: invalid value 'WallClock': expected one of CreateTime, LogAppendTime"),
                errors.toString());
    }

    @Test
    void compactionLagsMustBeOrdered() {
        assertEquals(List.of("min.compaction.lag.ms (10) must not exceed max.compaction.lag.ms (5)"),
                TopicConfigDef.validate(Map.of("min.compaction.lag.ms", "10", "max.compaction.lag.ms", "5")));
    }

    @Test
    void validConfigsPassAndResolveRejectsInvalidOnes() {
        assertEquals(List.of(), TopicConfigDef.validate(Map.of("retention.ms", "86400000", "compression.type", "ZSTD",
                "max.message.bytes", "2097152", "min.insync.replicas", "2", "flush.messages", "1")));
        ConfigException e = assertThrows(ConfigException.class,
                () -> TopicConfigDef.resolve(Map.of("retention.bytes", "-2"), ClusterConfig.defaults()));
        assertEquals("retention.bytes: invalid value '-2': expected an integer >= -1", e.getMessage());
    }

    @Test
    void describeShowsSourcesAndSynonymsAsKafkaDoes() {
        ClusterConfig cluster = ClusterConfig.defaults()
                .withText("log_retention_ms", "1000", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        Map<String, DescribedConfig> byName = new HashMap<>();
        TopicConfigDef.describe(Map.of("segment.bytes", "2097152"), cluster).forEach(d -> byName.put(d.name(), d));
        assertEquals(TopicConfigDef.ALL.size(), byName.size());

        DescribedConfig segment = byName.get("segment.bytes");
        assertEquals("2097152", segment.value());
        assertEquals(ConfigSource.DYNAMIC_TOPIC_CONFIG, segment.source());
        assertEquals(List.of(new DescribedConfig.Synonym("segment.bytes", "2097152", ConfigSource.DYNAMIC_TOPIC_CONFIG),
                new DescribedConfig.Synonym("log_segment_size", "1073741824", ConfigSource.DEFAULT_CONFIG)), segment.synonyms());
        assertEquals(KafkaConfigType.INT, segment.type());

        DescribedConfig retention = byName.get("retention.ms");
        assertEquals("1000", retention.value());
        assertEquals(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, retention.source());
        assertEquals(List.of(new DescribedConfig.Synonym("log_retention_ms", "1000", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
                new DescribedConfig.Synonym("log_retention_ms", "604800000", ConfigSource.DEFAULT_CONFIG)), retention.synonyms());

        DescribedConfig minIsr = byName.get("min.insync.replicas");
        assertEquals("1", minIsr.value());
        assertEquals(ConfigSource.DEFAULT_CONFIG, minIsr.source());
        assertTrue(byName.get("unclean.leader.election.enable").readOnly());
        assertEquals(KafkaConfigType.LIST, byName.get("cleanup.policy").type());
    }
}
