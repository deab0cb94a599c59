package io.ailurus.core.config;

import static io.ailurus.core.config.ClusterConfigKeys.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The topic-level properties, with Apache Kafka's names, types, ranges and defaults, the defaults
 * taken from the cluster properties where one exists (so changing {@code log_retention_ms} changes
 * the retention of every topic without an override). CreateTopics, AlterConfigs and
 * DescribeConfigs handlers validate and describe topic configs through this class.
 */
public final class TopicConfigDef {
    private static final long MIB = 1L << 20;

    public static final TopicConfigKey<List<String>> CLEANUP_POLICY = key("cleanup.policy",
            ConfigTypes.subsetOf("delete", "compact"), LOG_CLEANUP_POLICY, null,
            "delete: drop segments past retention; compact: keep the latest record per key; both: compact,delete.");
    public static final TopicConfigKey<Long> RETENTION_MS = key("retention.ms",
            ConfigTypes.longInteger(-1, Long.MAX_VALUE), LOG_RETENTION_MS, null,
            "How long data is kept, in ms; -1 keeps it forever.");
    public static final TopicConfigKey<Long> RETENTION_BYTES = key("retention.bytes",
            ConfigTypes.longInteger(-1, Long.MAX_VALUE), ClusterConfigKeys.RETENTION_BYTES, "-1",
            "Size a partition may grow to before its oldest segments are deleted; -1 means no limit.");
    public static final TopicConfigKey<Integer> SEGMENT_BYTES = key("segment.bytes",
            ConfigTypes.integer((int) MIB, Integer.MAX_VALUE), LOG_SEGMENT_SIZE, null,
            "Segment size at which the log rolls to a new file (at least 1 MiB, as Kafka 4).");
    public static final TopicConfigKey<Long> SEGMENT_MS = key("segment.ms",
            ConfigTypes.longInteger(1, Long.MAX_VALUE), LOG_SEGMENT_MS, null,
            "Age at which the active segment rolls even if it is not full, in ms.");
    public static final TopicConfigKey<Integer> MAX_MESSAGE_BYTES = key("max.message.bytes",
            ConfigTypes.integer(0, Integer.MAX_VALUE), KAFKA_BATCH_MAX_BYTES, null,
            "Largest record batch a producer may write to the topic.");
    public static final TopicConfigKey<String> MESSAGE_TIMESTAMP_TYPE = key("message.timestamp.type",
            ConfigTypes.oneOf("CreateTime", "LogAppendTime"), LOG_MESSAGE_TIMESTAMP_TYPE, null,
            "CreateTime keeps the producer's timestamps; LogAppendTime replaces them with the broker's clock.");
    public static final TopicConfigKey<Long> MESSAGE_TIMESTAMP_BEFORE_MAX_MS = key("message.timestamp.before.max.ms",
            ConfigTypes.longInteger(0, Long.MAX_VALUE), LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS, null,
            "Largest allowed distance of a CreateTime timestamp into the past.");
    public static final TopicConfigKey<Long> MESSAGE_TIMESTAMP_AFTER_MAX_MS = key("message.timestamp.after.max.ms",
            ConfigTypes.longInteger(0, Long.MAX_VALUE), LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS, null,
            "Largest allowed distance of a CreateTime timestamp into the future.");
    public static final TopicConfigKey<Integer> MIN_INSYNC_REPLICAS = key("min.insync.replicas",
            ConfigTypes.integer(1, Integer.MAX_VALUE), null, "1",
            "Accepted for Kafka tools; acks=all always waits for a Raft majority, which is stronger for odd replica counts.");
    public static final TopicConfigKey<String> COMPRESSION_TYPE = key("compression.type",
            ConfigTypes.oneOf("producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"), LOG_COMPRESSION_TYPE, null,
            "Compression batches are stored with; producer keeps the producer's.");
    public static final TopicConfigKey<Double> MIN_CLEANABLE_DIRTY_RATIO = key("min.cleanable.dirty.ratio",
            ConfigTypes.decimal(0, 1), ClusterConfigKeys.MIN_CLEANABLE_DIRTY_RATIO, null,
            "Share of the log that must be uncompacted before compaction runs.");
    public static final TopicConfigKey<Long> DELETE_RETENTION_MS = key("delete.retention.ms",
            ConfigTypes.longInteger(0, Long.MAX_VALUE), TOMBSTONE_RETENTION_MS, null,
            "How long compaction keeps tombstones (records with a null value).");
    public static final TopicConfigKey<Long> MIN_COMPACTION_LAG_MS = key("min.compaction.lag.ms",
            ConfigTypes.longInteger(0, Long.MAX_VALUE), ClusterConfigKeys.MIN_COMPACTION_LAG_MS, null,
            "Youngest a record may be and still be compacted away.");
    public static final TopicConfigKey<Long> MAX_COMPACTION_LAG_MS = key("max.compaction.lag.ms",
            ConfigTypes.longInteger(1, Long.MAX_VALUE), ClusterConfigKeys.MAX_COMPACTION_LAG_MS, null,
            "Longest a record may stay uncompacted.");
    public static final TopicConfigKey<Long> FLUSH_MESSAGES = key("flush.messages",
            ConfigTypes.longInteger(1, Long.MAX_VALUE), null, "1",
            "Accepted for Kafka tools; Ailurus fsyncs every batch before acknowledging it, whatever the value.");
    public static final TopicConfigKey<Long> FLUSH_MS = key("flush.ms",
            ConfigTypes.longInteger(0, Long.MAX_VALUE), null, "0",
            "Accepted for Kafka tools; Ailurus fsyncs every batch before acknowledging it, whatever the value.");
    public static final TopicConfigKey<Boolean> UNCLEAN_LEADER_ELECTION_ENABLE = new TopicConfigKey<>(
            "unclean.leader.election.enable", ConfigTypes.BOOLEAN, null, "false",
            v -> v ? "false: Raft never elects a replica that may lack acknowledged writes" : null,
            "Always false: Raft elects only replicas holding every acknowledged write.", true);
    public static final TopicConfigKey<Long> FILE_DELETE_DELAY_MS = compat("file.delete.delay.ms",
            ConfigTypes.longInteger(0, Long.MAX_VALUE), "60000");
    public static final TopicConfigKey<Integer> INDEX_INTERVAL_BYTES = compat("index.interval.bytes",
            ConfigTypes.integer(0, Integer.MAX_VALUE), "4096");
    public static final TopicConfigKey<Integer> SEGMENT_INDEX_BYTES = compat("segment.index.bytes",
            ConfigTypes.integer(4, Integer.MAX_VALUE), "10485760");
    public static final TopicConfigKey<Long> SEGMENT_JITTER_MS = compat("segment.jitter.ms",
            ConfigTypes.longInteger(0, Long.MAX_VALUE), "0");
    public static final TopicConfigKey<Boolean> PREALLOCATE = compat("preallocate", ConfigTypes.BOOLEAN, "false");

    /** All topic properties, in documentation order. */
    public static final List<TopicConfigKey<?>> ALL = List.of(CLEANUP_POLICY, RETENTION_MS, RETENTION_BYTES,
            SEGMENT_BYTES, SEGMENT_MS, MAX_MESSAGE_BYTES, MESSAGE_TIMESTAMP_TYPE, MESSAGE_TIMESTAMP_BEFORE_MAX_MS,
            MESSAGE_TIMESTAMP_AFTER_MAX_MS, MIN_INSYNC_REPLICAS, COMPRESSION_TYPE, MIN_CLEANABLE_DIRTY_RATIO,
            DELETE_RETENTION_MS, MIN_COMPACTION_LAG_MS, MAX_COMPACTION_LAG_MS, FLUSH_MESSAGES, FLUSH_MS,
            UNCLEAN_LEADER_ELECTION_ENABLE, FILE_DELETE_DELAY_MS, INDEX_INTERVAL_BYTES, SEGMENT_INDEX_BYTES,
            SEGMENT_JITTER_MS, PREALLOCATE);

    private static final Map<String, TopicConfigKey<?>> BY_NAME = byName();

    private TopicConfigDef() {}

    private static <T> TopicConfigKey<T> key(String name, ConfigType<T> type, ConfigKey<?> cluster, String fixed, String doc) {
        return new TopicConfigKey<>(name, type, cluster, fixed, Validator.none(), doc, true);
    }

    /** A Kafka property that tools set but that means nothing for this storage engine. */
    private static <T> TopicConfigKey<T> compat(String name, ConfigType<T> type, String fixed) {
        return new TopicConfigKey<>(name, type, null, fixed, Validator.none(),
                "Accepted for compatibility with Kafka tools; no effect in Ailurus.", false);
    }

    private static Map<String, TopicConfigKey<?>> byName() {
        Map<String, TopicConfigKey<?>> m = new LinkedHashMap<>();
        ALL.forEach(k -> m.put(k.name(), k));
        return Collections.unmodifiableMap(m);
    }

    /** The property called {@code name}. */
    public static Optional<TopicConfigKey<?>> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /**
     * Checks topic configs as given to CreateTopics or AlterConfigs. A null value means "use the
     * default" and is fine.
     *
     * @return one message per problem, each naming the property, the value and what is expected; empty if all is well
     */
    public static List<String> validate(Map<String, String> configs) {
        List<String> errors = new ArrayList<>();
        Map<TopicConfigKey<?>, Object> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : configs.entrySet()) {
            TopicConfigKey<?> key = BY_NAME.get(e.getKey());
            if (key == null) {
                errors.add("unknown topic config '" + e.getKey() + "'"
                        + Suggestions.closest(e.getKey(), BY_NAME.keySet()).map(s -> " (did you mean '" + s + "'?)").orElse(""));
                continue;
            }
            if (e.getValue() == null) {
                continue;
            }
            try {
                parsed.put(key, key.parse(e.getValue()));
            } catch (BadValueException ex) {
                errors.add(key.name() + ": invalid value '" + ConfigException.oneLine(e.getValue()) + "': expected " + ex.expected());
            }
        }
        Object min = parsed.get(MIN_COMPACTION_LAG_MS);
        Object max = parsed.get(MAX_COMPACTION_LAG_MS);
        if (min != null && max != null && (Long) min > (Long) max) {
            errors.add("min.compaction.lag.ms (" + min + ") must not exceed max.compaction.lag.ms (" + max + ")");
        }
        return errors;
    }

    /**
     * The effective configuration of a topic: its overrides over the cluster-derived defaults.
     *
     * @throws ConfigException if the overrides do not {@link #validate}
     */
    public static TopicConfig resolve(Map<String, String> overrides, ClusterConfig cluster) {
        List<String> errors = validate(overrides);
        if (!errors.isEmpty()) {
            throw new ConfigException(String.join("; ", errors));
        }
        Map<TopicConfigKey<?>, Object> values = new LinkedHashMap<>();
        Map<String, String> given = new LinkedHashMap<>();
        for (TopicConfigKey<?> key : ALL) {
            String override = overrides.get(key.name());
            String text = override != null ? override : key.defaultText(cluster);
            if (override != null) {
                given.put(key.name(), override);
            }
            try {
                values.put(key, key.parse(text));
            } catch (BadValueException e) {
                // A cluster property's range can be wider than Kafka's topic range (e.g. retention_bytes).
                throw new ConfigException(key.name() + ": the default '" + text + "' from cluster property "
                        + key.clusterDefault() + " is not valid for the topic: expected " + e.expected());
            }
        }
        return new TopicConfig(values, given);
    }

    /**
     * Every topic property as DescribeConfigs shows it: the effective value, its source, and the
     * synonyms (topic override, cluster property, built-in default) most specific first.
     */
    public static List<DescribedConfig> describe(Map<String, String> overrides, ClusterConfig cluster) {
        List<DescribedConfig> out = new ArrayList<>();
        for (TopicConfigKey<?> key : ALL) {
            List<DescribedConfig.Synonym> synonyms = new ArrayList<>();
            String override = overrides.get(key.name());
            if (override != null) {
                synonyms.add(new DescribedConfig.Synonym(key.name(), override, ConfigSource.DYNAMIC_TOPIC_CONFIG));
            }
            ConfigKey<?> ck = key.clusterDefault();
            if (ck != null && cluster.isSet(ck)) {
                synonyms.add(new DescribedConfig.Synonym(ck.name(), key.defaultText(cluster), cluster.source(ck)));
            }
            String builtIn = key.defaultText(ClusterConfig.defaults());
            synonyms.add(new DescribedConfig.Synonym(ck != null ? ck.name() : key.name(), builtIn, ConfigSource.DEFAULT_CONFIG));
            DescribedConfig.Synonym top = synonyms.get(0);
            boolean readOnly = key == UNCLEAN_LEADER_ELECTION_ENABLE;
            out.add(new DescribedConfig(key.name(), top.value(), top.source(), readOnly, false,
                    key.type().kafkaType(), key.doc(), synonyms));
        }
        return out;
    }
}
