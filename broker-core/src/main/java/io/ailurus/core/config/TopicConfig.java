package io.ailurus.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topic's effective configuration: every {@link TopicConfigDef} property, typed, with the
 * overrides the topic was given. Made by {@link TopicConfigDef#resolve}; immutable.
 */
public final class TopicConfig {
    private final Map<TopicConfigKey<?>, Object> values;
    private final Map<String, String> overrides;

    TopicConfig(Map<TopicConfigKey<?>, Object> values, Map<String, String> overrides) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /** The effective value of {@code key}. */
    @SuppressWarnings("unchecked")
    public <T> T get(TopicConfigKey<T> key) {
        return (T) values.get(key);
    }

    /** The properties the topic sets itself (DYNAMIC_TOPIC_CONFIG), in text form. */
    public Map<String, String> overrides() {
        return overrides;
    }

    public boolean compact() {
        return get(TopicConfigDef.CLEANUP_POLICY).contains("compact");
    }

    public boolean delete() {
        return get(TopicConfigDef.CLEANUP_POLICY).contains("delete");
    }

    public List<String> cleanupPolicy() {
        return get(TopicConfigDef.CLEANUP_POLICY);
    }

    /** -1 keeps data forever. */
    public long retentionMs() {
        return get(TopicConfigDef.RETENTION_MS);
    }

    /** -1 means no size limit. */
    public long retentionBytes() {
        return get(TopicConfigDef.RETENTION_BYTES);
    }

    public int segmentBytes() {
        return get(TopicConfigDef.SEGMENT_BYTES);
    }

    public long segmentMs() {
        return get(TopicConfigDef.SEGMENT_MS);
    }

    public int maxMessageBytes() {
        return get(TopicConfigDef.MAX_MESSAGE_BYTES);
    }

    /** True for LogAppendTime. */
    public boolean logAppendTime() {
        return get(TopicConfigDef.MESSAGE_TIMESTAMP_TYPE).equals("LogAppendTime");
    }

    public String messageTimestampType() {
        return get(TopicConfigDef.MESSAGE_TIMESTAMP_TYPE);
    }

    public long messageTimestampBeforeMaxMs() {
        return get(TopicConfigDef.MESSAGE_TIMESTAMP_BEFORE_MAX_MS);
    }

    public long messageTimestampAfterMaxMs() {
        return get(TopicConfigDef.MESSAGE_TIMESTAMP_AFTER_MAX_MS);
    }

    public int minInsyncReplicas() {
        return get(TopicConfigDef.MIN_INSYNC_REPLICAS);
    }

    public String compressionType() {
        return get(TopicConfigDef.COMPRESSION_TYPE);
    }

    public double minCleanableDirtyRatio() {
        return get(TopicConfigDef.MIN_CLEANABLE_DIRTY_RATIO);
    }

    public long deleteRetentionMs() {
        return get(TopicConfigDef.DELETE_RETENTION_MS);
    }

    public long minCompactionLagMs() {
        return get(TopicConfigDef.MIN_COMPACTION_LAG_MS);
    }

    public long maxCompactionLagMs() {
        return get(TopicConfigDef.MAX_COMPACTION_LAG_MS);
    }

    @Override
    public String toString() {
        Map<String, String> text = new LinkedHashMap<>();
        values.forEach((k, v) -> text.put(k.name(), k.format(v)));
        return "TopicConfig" + text;
    }
}
