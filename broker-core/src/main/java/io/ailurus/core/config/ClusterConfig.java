package io.ailurus.core.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The cluster-wide properties ({@link ClusterConfigKeys}): an immutable set of values, each
 * remembering whether it is the built-in default, came from the YAML file, or was changed at run
 * time. Changing a value returns a new instance, validated as a whole.
 */
public final class ClusterConfig {
    private static final ClusterConfig DEFAULTS = new ClusterConfig(Map.of(), Map.of());

    /** Explicitly set values (null is a legitimate value for nullable keys), keyed by key. */
    private final Map<ConfigKey<?>, Object> values;
    private final Map<ConfigKey<?>, ConfigSource> sources;

    private ClusterConfig(Map<ConfigKey<?>, Object> values, Map<ConfigKey<?>, ConfigSource> sources) {
        this.values = Collections.unmodifiableMap(new HashMap<>(values));
        this.sources = Collections.unmodifiableMap(new HashMap<>(sources));
        checkConsistency();
    }

    /** All properties at their built-in defaults. */
    public static ClusterConfig defaults() {
        return DEFAULTS;
    }

    /** The value of {@code key}: the set value, else the default. */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        requireCluster(key);
        return values.containsKey(key) ? (T) values.get(key) : key.defaultValue();
    }

    /** Whether the key has been set (file or run time), even to the default's value. */
    public boolean isSet(ConfigKey<?> key) {
        return values.containsKey(key);
    }

    /** Where the current value came from. */
    public ConfigSource source(ConfigKey<?> key) {
        return sources.getOrDefault(key, ConfigSource.DEFAULT_CONFIG);
    }

    /**
     * A copy with {@code key} set to {@code value}.
     *
     * @throws ConfigException if the value breaks the key's rule or the whole becomes inconsistent
     */
    public <T> ClusterConfig with(ConfigKey<T> key, T value, ConfigSource source) {
        requireCluster(key);
        try {
            key.check(value);
        } catch (BadValueException e) {
            throw ConfigException.invalidValue(key.name(), null, key.format(value), e.expected());
        }
        Map<ConfigKey<?>, Object> v = new HashMap<>(values);
        Map<ConfigKey<?>, ConfigSource> s = new HashMap<>(sources);
        v.put(key, value);
        s.put(key, source);
        return new ClusterConfig(v, s);
    }

    /**
     * A copy with all of {@code changes} applied at once, so that related properties (a minimum
     * and a maximum) are checked against each other only in their final state.
     *
     * @throws ConfigException if a value breaks its key's rule or the whole becomes inconsistent
     */
    public ClusterConfig withAll(Map<ConfigKey<?>, Object> changes, ConfigSource source) {
        Map<ConfigKey<?>, Object> v = new HashMap<>(values);
        Map<ConfigKey<?>, ConfigSource> s = new HashMap<>(sources);
        for (Map.Entry<ConfigKey<?>, Object> e : changes.entrySet()) {
            requireCluster(e.getKey());
            checkValue(e.getKey(), e.getValue());
            v.put(e.getKey(), e.getValue());
            s.put(e.getKey(), source);
        }
        return new ClusterConfig(v, s);
    }

    private static <T> void checkValue(ConfigKey<T> key, Object value) {
        try {
            @SuppressWarnings("unchecked")
            T typed = (T) value;
            key.check(typed);
        } catch (BadValueException | ClassCastException e) {
            String expected = e instanceof BadValueException b ? b.expected() : key.type().expected();
            throw ConfigException.invalidValue(key.name(), null, String.valueOf(value), expected);
        }
    }

    /**
     * A copy with the property called {@code name} set from its text form, as the admin API and
     * AlterConfigs receive it.
     *
     * @throws ConfigException for an unknown name (with a suggestion) or a bad value
     */
    public ClusterConfig withText(String name, String text, ConfigSource source) {
        ConfigKey<?> key = ConfigRegistry.cluster(name).orElseThrow(() -> new ConfigException(
                "unknown cluster property '" + name + "'" + ConfigRegistry.hintFor(ConfigSection.CLUSTER, name)));
        return withParsed(key, text, source);
    }

    private <T> ClusterConfig withParsed(ConfigKey<T> key, String text, ConfigSource source) {
        T value;
        try {
            value = key.parse(text);
        } catch (BadValueException e) {
            throw ConfigException.invalidValue(key.name(), null, text, e.expected());
        }
        return with(key, value, source);
    }

    /** A copy with {@code key} back at its default. */
    public ClusterConfig reset(ConfigKey<?> key) {
        requireCluster(key);
        Map<ConfigKey<?>, Object> v = new HashMap<>(values);
        Map<ConfigKey<?>, ConfigSource> s = new HashMap<>(sources);
        v.remove(key);
        s.remove(key);
        return new ClusterConfig(v, s);
    }

    /** Every property's current value in text form, in documentation order. */
    public Map<String, String> asText() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigKey<?> k : ClusterConfigKeys.ALL) {
            out.put(k.name(), k.format(get(k)));
        }
        return Collections.unmodifiableMap(out);
    }

    // --- typed accessors ------------------------------------------------------------------------

    public boolean autoCreateTopicsEnabled() {
        return get(ClusterConfigKeys.AUTO_CREATE_TOPICS_ENABLED);
    }

    public int defaultTopicPartitions() {
        return get(ClusterConfigKeys.DEFAULT_TOPIC_PARTITIONS);
    }

    public int defaultTopicReplications() {
        return get(ClusterConfigKeys.DEFAULT_TOPIC_REPLICATIONS);
    }

    public int kafkaRequestMaxBytes() {
        return get(ClusterConfigKeys.KAFKA_REQUEST_MAX_BYTES);
    }

    public int kafkaBatchMaxBytes() {
        return get(ClusterConfigKeys.KAFKA_BATCH_MAX_BYTES);
    }

    public int fetchMaxBytes() {
        return get(ClusterConfigKeys.FETCH_MAX_BYTES);
    }

    /** Empty when there is no limit. */
    public OptionalInt kafkaConnectionsMax() {
        Integer v = get(ClusterConfigKeys.KAFKA_CONNECTIONS_MAX);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    /** Empty when there is no limit. */
    public OptionalInt kafkaConnectionsMaxPerIp() {
        Integer v = get(ClusterConfigKeys.KAFKA_CONNECTIONS_MAX_PER_IP);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    public long logSegmentSize() {
        return get(ClusterConfigKeys.LOG_SEGMENT_SIZE);
    }

    public long logSegmentMs() {
        return get(ClusterConfigKeys.LOG_SEGMENT_MS);
    }

    /** -1 keeps data forever. */
    public long logRetentionMs() {
        return get(ClusterConfigKeys.LOG_RETENTION_MS);
    }

    /** Empty when there is no size limit. */
    public OptionalLong retentionBytes() {
        Long v = get(ClusterConfigKeys.RETENTION_BYTES);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    public List<String> logCleanupPolicy() {
        return get(ClusterConfigKeys.LOG_CLEANUP_POLICY);
    }

    public String logCompressionType() {
        return get(ClusterConfigKeys.LOG_COMPRESSION_TYPE);
    }

    public String logMessageTimestampType() {
        return get(ClusterConfigKeys.LOG_MESSAGE_TIMESTAMP_TYPE);
    }

    public long segmentFallocationStep() {
        return get(ClusterConfigKeys.SEGMENT_FALLOCATION_STEP);
    }

    public int groupInitialRebalanceDelayMs() {
        return get(ClusterConfigKeys.GROUP_INITIAL_REBALANCE_DELAY);
    }

    public int groupMinSessionTimeoutMs() {
        return get(ClusterConfigKeys.GROUP_MIN_SESSION_TIMEOUT_MS);
    }

    public int groupMaxSessionTimeoutMs() {
        return get(ClusterConfigKeys.GROUP_MAX_SESSION_TIMEOUT_MS);
    }

    public long groupOffsetRetentionSec() {
        return get(ClusterConfigKeys.GROUP_OFFSET_RETENTION_SEC);
    }

    public int electionTimeoutMs() {
        return get(ClusterConfigKeys.ELECTION_TIMEOUT_MS);
    }

    private void checkConsistency() {
        int min = get(ClusterConfigKeys.GROUP_MIN_SESSION_TIMEOUT_MS);
        int max = get(ClusterConfigKeys.GROUP_MAX_SESSION_TIMEOUT_MS);
        if (min > max) {
            throw new ConfigException("cluster.group_min_session_timeout_ms (" + min
                    + ") must not exceed cluster.group_max_session_timeout_ms (" + max + ")");
        }
        int batch = get(ClusterConfigKeys.KAFKA_BATCH_MAX_BYTES);
        int request = get(ClusterConfigKeys.KAFKA_REQUEST_MAX_BYTES);
        if (batch > request) {
            throw new ConfigException("cluster.kafka_batch_max_bytes (" + batch
                    + ") must not exceed cluster.kafka_request_max_bytes (" + request + "): such a batch could never be sent");
        }
    }

    private static void requireCluster(ConfigKey<?> key) {
        if (key.section() != ConfigSection.CLUSTER) {
            throw new IllegalArgumentException(key.fullName() + " is not a cluster property");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterConfig other && asText().equals(other.asText());
    }

    @Override
    public int hashCode() {
        return asText().hashCode();
    }

    @Override
    public String toString() {
        return "ClusterConfig" + asText();
    }
}
