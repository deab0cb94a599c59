package io.ailurus.core.topic;

import io.ailurus.core.config.ClusterConfig;
import io.ailurus.core.config.ConfigSource;
import io.ailurus.core.config.DescribedConfig;
import io.ailurus.core.config.TopicConfig;
import io.ailurus.core.config.TopicConfigDef;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.partition.PartitionSettings;
import io.ailurus.storage.CompactionConfig;
import io.ailurus.storage.LogConfig;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic configs as the broker applies them: the cluster properties in force (the node's file, then
 * what the controller changed at run time), Kafka-named topic overrides validated and resolved
 * against them, and the settings a partition runs with.
 */
public final class TopicConfigs {
    private static final Logger log = LoggerFactory.getLogger(TopicConfigs.class);

    private final ClusterConfig bootstrap;
    private volatile Cached cached = new Cached(null, null);

    private record Cached(Map<String, String> dynamic, ClusterConfig config) {}

    /** @param bootstrap the cluster properties from the node's config file and flags */
    public TopicConfigs(ClusterConfig bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Problems with {@code configs} (unknown key, bad value), one message each; empty when valid. */
    public List<String> validate(Map<String, String> configs) {
        return TopicConfigDef.validate(configs);
    }

    /** The cluster properties in force under {@code image}: file values overlaid by run-time changes. */
    public ClusterConfig cluster(MetadataImage image) {
        Cached c = cached;
        if (c.dynamic() == image.clusterConfig()) {
            return c.config();
        }
        ClusterConfig config = bootstrap;
        for (var e : image.clusterConfig().entrySet()) {
            try {
                config = config.withText(e.getKey(), e.getValue(), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            } catch (RuntimeException bad) {
                // Validated before it was proposed; a value this build cannot read is skipped, not fatal.
                log.warn("ignoring cluster property {}={}: {}", e.getKey(), e.getValue(), bad.getMessage());
            }
        }
        cached = new Cached(image.clusterConfig(), config);
        return config;
    }

    public TopicConfig resolve(Map<String, String> overrides, MetadataImage image) {
        return TopicConfigDef.resolve(overrides, cluster(image));
    }

    public List<DescribedConfig> describe(Map<String, String> overrides, MetadataImage image) {
        return TopicConfigDef.describe(overrides, cluster(image));
    }

    /** What a partition of a topic with these overrides runs with. */
    public PartitionSettings settings(Map<String, String> overrides, MetadataImage image) {
        TopicConfig t = resolve(overrides, image);
        LogConfig defaults = LogConfig.defaults();
        LogConfig logConfig = defaults
            .withSegmentBytes(Math.max(LogConfig.MIN_SEGMENT_BYTES, t.segmentBytes()))
            .withSegmentMs(Math.max(1, t.segmentMs()))
            .withRetentionMs(t.delete() ? t.retentionMs() : -1)
            .withRetentionBytes(t.delete() ? t.retentionBytes() : -1)
            .withMaxEntryBytes(Math.min(Math.max(defaults.maxEntryBytes(), t.maxMessageBytes()),
                Math.max(LogConfig.MIN_SEGMENT_BYTES, t.segmentBytes()) - 64))
            .withCompaction(compaction(t));
        return new PartitionSettings(logConfig, t.maxMessageBytes(),
            t.logAppendTime() ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
            t.messageTimestampBeforeMaxMs(), t.messageTimestampAfterMaxMs(), t.compact());
    }

    /** cleanup.policy with compact (alone or with delete) turns the log cleaner on for the topic's logs. */
    private static CompactionConfig compaction(TopicConfig t) {
        if (!t.compact()) {
            return CompactionConfig.DISABLED;
        }
        // Validation allows min > max only never; max wins if a cluster default and a topic override cross.
        long max = t.maxCompactionLagMs();
        return new CompactionConfig(true, t.minCleanableDirtyRatio(), Math.min(t.minCompactionLagMs(), max), max,
            t.deleteRetentionMs());
    }
}
