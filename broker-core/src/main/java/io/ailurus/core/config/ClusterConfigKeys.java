package io.ailurus.core.config;

import java.util.List;

/**
 * Cluster-wide properties, named as Redpanda names them where Redpanda has the property. The
 * {@code cluster:} section of the YAML file gives their initial values; later changes go through
 * the admin API / AlterConfigs and are kept by the controller. Topic-level defaults are derived
 * from the {@code log_*} keys (see {@link TopicConfigDef}).
 */
public final class ClusterConfigKeys {
    private ClusterConfigKeys() {}

    private static final int MIB = 1 << 20;

    private static <T> ConfigKey.Builder<T> key(String name, ConfigType<T> type) {
        return ConfigKey.builder(ConfigSection.CLUSTER, name, type);
    }

    // --- topics ---------------------------------------------------------------------------------

    public static final ConfigKey<Boolean> AUTO_CREATE_TOPICS_ENABLED = key("auto_create_topics_enabled", ConfigTypes.BOOLEAN)
            .defaultValue(false)
            .doc("Create a topic when a client produces to or fetches metadata for one that does not exist."
                    + " Off by default: a typo in a topic name should fail, not create a topic.")
            .build();

    public static final ConfigKey<Integer> DEFAULT_TOPIC_PARTITIONS = key("default_topic_partitions", ConfigTypes.integer(1, 1_000_000))
            .defaultValue(1)
            .doc("Partitions of a topic created without a partition count (auto-created, or CreateTopics with -1).")
            .build();

    public static final ConfigKey<Integer> DEFAULT_TOPIC_REPLICATIONS = key("default_topic_replications", ConfigTypes.integer(1, 15))
            .defaultValue(1)
            .validator(v -> v % 2 == 1 ? null : "an odd number (a Raft group of N replicas tolerates as many failures as one of N-1)")
            .doc("Replication factor of a topic created without one. Must be odd.")
            .build();

    // --- Kafka API limits -------------------------------------------------------------------------

    public static final ConfigKey<Integer> KAFKA_REQUEST_MAX_BYTES = key("kafka_request_max_bytes", ConfigTypes.integer(1024, Integer.MAX_VALUE))
            .defaultValue(100 * MIB)
            .doc("Largest Kafka request accepted; a larger request closes the connection before it is read into memory.")
            .build();

    public static final ConfigKey<Integer> KAFKA_BATCH_MAX_BYTES = key("kafka_batch_max_bytes", ConfigTypes.integer(0, Integer.MAX_VALUE))
            .defaultValue(1_048_588)
            .doc("Largest record batch a producer may write; default of the topic property max.message.bytes."
                    + " 1 MiB plus batch overhead, as in Apache Kafka.")
            .build();

    public static final ConfigKey<Integer> FETCH_MAX_BYTES = key("fetch_max_bytes", ConfigTypes.integer(1, Integer.MAX_VALUE))
            .defaultValue(55 * MIB)
            .doc("Upper bound on the bytes one Fetch response returns, whatever the client asks for.")
            .build();

    public static final ConfigKey<Integer> KAFKA_CONNECTIONS_MAX = key("kafka_connections_max", ConfigTypes.integer(1, Integer.MAX_VALUE))
            .nullable()
            .defaultDoc("null (no limit)")
            .doc("Most Kafka client connections one broker accepts; further connections are closed at once.")
            .build();

    public static final ConfigKey<Integer> KAFKA_CONNECTIONS_MAX_PER_IP = key("kafka_connections_max_per_ip", ConfigTypes.integer(1, Integer.MAX_VALUE))
            .nullable()
            .defaultDoc("null (no limit)")
            .doc("Most Kafka client connections one client IP address may hold on one broker.")
            .build();

    // --- log (defaults of the topic properties) ------------------------------------------------------

    public static final ConfigKey<Long> LOG_SEGMENT_SIZE = key("log_segment_size", ConfigTypes.size(MIB, Integer.MAX_VALUE))
            .defaultValue(1L << 30)
            .doc("Segment size at which a partition's log rolls to a new file; default of segment.bytes."
                    + " 1 GiB as in Apache Kafka (Redpanda uses 128 MiB).")
            .build();

    public static final ConfigKey<Long> LOG_SEGMENT_MS = key("log_segment_ms", ConfigTypes.longInteger(1, Long.MAX_VALUE))
            .defaultValue(14L * 24 * 3600 * 1000)
            .doc("Age in ms at which the active segment rolls even if not full; default of segment.ms. Two weeks, as Redpanda.")
            .build();

    public static final ConfigKey<Long> LOG_RETENTION_MS = key("log_retention_ms", ConfigTypes.longInteger(-1, Long.MAX_VALUE))
            .defaultValue(7L * 24 * 3600 * 1000)
            .doc("How long data is kept before its segment is deleted, in ms; -1 keeps it forever. Default of retention.ms (7 days).")
            .build();

    public static final ConfigKey<Long> RETENTION_BYTES = key("retention_bytes", ConfigTypes.size(0, Long.MAX_VALUE))
            .nullable()
            .defaultDoc("null (no size limit)")
            .doc("Size a partition may grow to before its oldest segments are deleted; default of retention.bytes (null means -1).")
            .build();

    public static final ConfigKey<List<String>> LOG_CLEANUP_POLICY = key("log_cleanup_policy", ConfigTypes.subsetOf("delete", "compact"))
            .defaultValue(List.of("delete"))
            .doc("What happens to old segments: delete, compact, or both (compact,delete); default of cleanup.policy.")
            .build();

    public static final ConfigKey<String> LOG_COMPRESSION_TYPE = key("log_compression_type",
                    ConfigTypes.oneOf("producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"))
            .defaultValue("producer")
            .doc("Compression batches are stored with; producer keeps what the producer sent. Default of compression.type.")
            .build();

    public static final ConfigKey<String> LOG_MESSAGE_TIMESTAMP_TYPE = key("log_message_timestamp_type",
                    ConfigTypes.oneOf("CreateTime", "LogAppendTime"))
            .defaultValue("CreateTime")
            .doc("Whether record timestamps are the producer's (CreateTime) or the broker's append time; default of message.timestamp.type.")
            .build();

    public static final ConfigKey<Long> LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS = key("log_message_timestamp_before_max_ms",
                    ConfigTypes.longInteger(0, Long.MAX_VALUE))
            .defaultValue(Long.MAX_VALUE)
            .doc("How far in the past a CreateTime timestamp may be before the batch is rejected; default of message.timestamp.before.max.ms.")
            .build();

    public static final ConfigKey<Long> LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS = key("log_message_timestamp_after_max_ms",
                    ConfigTypes.longInteger(0, Long.MAX_VALUE))
            .defaultValue(3_600_000L)
            .doc("How far in the future a CreateTime timestamp may be before the batch is rejected; default of"
                    + " message.timestamp.after.max.ms (1 hour, as Apache Kafka 4).")
            .build();

    public static final ConfigKey<Double> MIN_CLEANABLE_DIRTY_RATIO = key("min_cleanable_dirty_ratio", ConfigTypes.decimal(0, 1))
            .defaultValue(0.5)
            .doc("Share of a compacted log that must be uncompacted before compaction runs; default of min.cleanable.dirty.ratio.")
            .build();

    public static final ConfigKey<Long> TOMBSTONE_RETENTION_MS = key("tombstone_retention_ms", ConfigTypes.longInteger(0, Long.MAX_VALUE))
            .defaultValue(86_400_000L)
            .doc("How long compaction keeps delete markers (tombstones); default of delete.retention.ms (1 day, as Kafka).")
            .build();

    public static final ConfigKey<Long> MIN_COMPACTION_LAG_MS = key("min_compaction_lag_ms", ConfigTypes.longInteger(0, Long.MAX_VALUE))
            .defaultValue(0L)
            .doc("Youngest a record may be and still be compacted away; default of min.compaction.lag.ms.")
            .build();

    public static final ConfigKey<Long> MAX_COMPACTION_LAG_MS = key("max_compaction_lag_ms", ConfigTypes.longInteger(1, Long.MAX_VALUE))
            .defaultValue(Long.MAX_VALUE)
            .doc("Longest a record may stay uncompacted; default of max.compaction.lag.ms.")
            .build();

    public static final ConfigKey<Long> LOG_COMPACTION_INTERVAL_MS = key("log_compaction_interval_ms",
                    ConfigTypes.longInteger(1, Long.MAX_VALUE))
            .defaultValue(10_000L)
            .needsRestart()
            .doc("How long (ms) the log cleaner of a data directory sleeps when no compacted log needs compacting"
                    + " (Redpanda's log_compaction_interval_ms).")
            .build();

    public static final ConfigKey<Long> LOG_COMPACTION_IO_MAX_BYTES_PER_SEC = key("log_compaction_io_max_bytes_per_sec",
                    ConfigTypes.longInteger(1, Long.MAX_VALUE))
            .defaultValue(Long.MAX_VALUE)
            .needsRestart()
            .doc("Read + write budget (bytes/s) of the log cleaner, so compaction does not starve produce and fetch"
                    + " of disk bandwidth; Kafka's log.cleaner.io.max.bytes.per.second (unlimited by default).")
            .build();

    public static final ConfigKey<Long> LOG_COMPACTION_DEDUPE_BUFFER_BYTES = key("log_compaction_dedupe_buffer_bytes",
                    ConfigTypes.size(24L * 1024, 1L << 31))
            .defaultValue(32L * MIB)
            .needsRestart()
            .doc("Memory of the key -> offset map of one compaction pass (24 bytes a key); a pass that fills it"
                    + " compacts what it mapped and leaves the rest for the next. Kafka's log.cleaner.dedupe.buffer.size.")
            .build();

    public static final ConfigKey<Long> SEGMENT_FALLOCATION_STEP = key("segment_fallocation_step", ConfigTypes.size(4096, 1L << 30))
            .defaultValue(32L * MIB)
            .validator(v -> v % 4096 == 0 ? null : "a multiple of 4096 (direct I/O writes whole pages)")
            .doc("Segments grow ahead of the writer in steps of this size, zero-filled so that fsync stays cheap.")
            .build();

    // --- consumer groups ------------------------------------------------------------------------------

    public static final ConfigKey<Integer> GROUP_INITIAL_REBALANCE_DELAY = key("group_initial_rebalance_delay", ConfigTypes.integer(0, Integer.MAX_VALUE))
            .defaultValue(3000)
            .doc("How long (ms) a new, empty group waits for more members before its first rebalance.")
            .build();

    public static final ConfigKey<Integer> GROUP_MIN_SESSION_TIMEOUT_MS = key("group_min_session_timeout_ms", ConfigTypes.integer(1, Integer.MAX_VALUE))
            .defaultValue(6000)
            .doc("Smallest session timeout a consumer may ask for.")
            .build();

    public static final ConfigKey<Integer> GROUP_MAX_SESSION_TIMEOUT_MS = key("group_max_session_timeout_ms", ConfigTypes.integer(1, Integer.MAX_VALUE))
            .defaultValue(300_000)
            .doc("Largest session timeout a consumer may ask for.")
            .build();

    public static final ConfigKey<Long> GROUP_OFFSET_RETENTION_SEC = key("group_offset_retention_sec", ConfigTypes.longInteger(0, Long.MAX_VALUE))
            .defaultValue(7L * 24 * 3600)
            .doc("How long (seconds) committed offsets of an empty group are kept (Kafka's offsets.retention.minutes; 7 days).")
            .build();

    public static final ConfigKey<Long> GROUP_OFFSET_RETENTION_CHECK_MS = key("group_offset_retention_check_ms",
                    ConfigTypes.longInteger(1000, Long.MAX_VALUE))
            .defaultValue(600_000L)
            .doc("How often (ms) expired offsets of empty groups are looked for (Kafka's offsets.retention.check.interval.ms).")
            .build();

    public static final ConfigKey<Integer> GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = key("group_consumer_heartbeat_interval_ms",
                    ConfigTypes.integer(100, Integer.MAX_VALUE))
            .defaultValue(5000)
            .doc("Heartbeat interval (ms) given to members of consumer-protocol groups (KIP-848, group.protocol=consumer);"
                    + " Kafka's group.consumer.heartbeat.interval.ms.")
            .build();

    public static final ConfigKey<Integer> GROUP_CONSUMER_SESSION_TIMEOUT_MS = key("group_consumer_session_timeout_ms",
                    ConfigTypes.integer(1000, Integer.MAX_VALUE))
            .defaultValue(45_000)
            .doc("Session timeout (ms) of members of consumer-protocol groups: a member silent this long is removed;"
                    + " Kafka's group.consumer.session.timeout.ms.")
            .build();

    // --- transactions -----------------------------------------------------------------------------

    public static final ConfigKey<Integer> TRANSACTION_MAX_TIMEOUT_MS = key("transaction_max_timeout_ms",
                    ConfigTypes.integer(1, Integer.MAX_VALUE))
            .defaultValue(900_000)
            .doc("Largest transaction.timeout.ms a producer may ask for; InitProducerId with more is refused"
                    + " (INVALID_TRANSACTION_TIMEOUT). Kafka's transaction.max.timeout.ms.")
            .build();

    public static final ConfigKey<Long> TRANSACTIONAL_ID_EXPIRATION_MS = key("transactional_id_expiration_ms",
                    ConfigTypes.longInteger(1000, Long.MAX_VALUE))
            .defaultValue(7L * 24 * 3600 * 1000)
            .doc("A transactional id with no transaction open and no activity for this long (ms) is forgotten;"
                    + " its producer id is not reused. Kafka's transactional.id.expiration.ms (7 days).")
            .build();

    public static final ConfigKey<Long> TX_TIMEOUT_DELAY_MS = key("tx_timeout_delay_ms", ConfigTypes.longInteger(100, Long.MAX_VALUE))
            .defaultValue(1000L)
            .needsRestart()
            .doc("How often (ms) the controller leader looks for transactions past their timeout (aborted, the"
                    + " producer fenced), prepared ones left unfinished by a failed coordinator, and expired ids.")
            .build();

    // --- Raft -----------------------------------------------------------------------------------------

    public static final ConfigKey<Integer> ELECTION_TIMEOUT_MS = key("election_timeout_ms", ConfigTypes.integer(100, 600_000))
            .defaultValue(3000)
            .needsRestart()
            .doc("Raft election timeout of partition and controller groups. 3 s keeps idle heartbeats cheap with many groups.")
            .build();

    /** All keys of the section, in documentation order. */
    public static final ConfigKey<Boolean> ENABLE_LEADER_BALANCER = key("enable_leader_balancer", ConfigTypes.BOOLEAN)
            .defaultValue(true)
            .doc("Hand each replicated partition's leadership back to its preferred replica (the first in its"
                    + " assignment) once that broker is back; off leaves leadership where elections put it"
                    + " (ElectLeaders still moves it on request).")
            .build();

    public static final List<ConfigKey<?>> ALL = List.of(
            AUTO_CREATE_TOPICS_ENABLED, DEFAULT_TOPIC_PARTITIONS, DEFAULT_TOPIC_REPLICATIONS,
            KAFKA_REQUEST_MAX_BYTES, KAFKA_BATCH_MAX_BYTES, FETCH_MAX_BYTES, KAFKA_CONNECTIONS_MAX, KAFKA_CONNECTIONS_MAX_PER_IP,
            LOG_SEGMENT_SIZE, LOG_SEGMENT_MS, LOG_RETENTION_MS, RETENTION_BYTES, LOG_CLEANUP_POLICY, LOG_COMPRESSION_TYPE,
            LOG_MESSAGE_TIMESTAMP_TYPE, LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS, LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS,
            MIN_CLEANABLE_DIRTY_RATIO, TOMBSTONE_RETENTION_MS, MIN_COMPACTION_LAG_MS, MAX_COMPACTION_LAG_MS,
            LOG_COMPACTION_INTERVAL_MS, LOG_COMPACTION_IO_MAX_BYTES_PER_SEC, LOG_COMPACTION_DEDUPE_BUFFER_BYTES,
            SEGMENT_FALLOCATION_STEP,
            GROUP_INITIAL_REBALANCE_DELAY, GROUP_MIN_SESSION_TIMEOUT_MS, GROUP_MAX_SESSION_TIMEOUT_MS, GROUP_OFFSET_RETENTION_SEC,
            GROUP_OFFSET_RETENTION_CHECK_MS, GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, GROUP_CONSUMER_SESSION_TIMEOUT_MS,
            TRANSACTION_MAX_TIMEOUT_MS, TRANSACTIONAL_ID_EXPIRATION_MS, TX_TIMEOUT_DELAY_MS,
            ELECTION_TIMEOUT_MS, ENABLE_LEADER_BALANCER);
}
