package io.ailurus.core.compaction;

import io.ailurus.core.config.ClusterConfig;
import io.ailurus.core.config.ClusterConfigKeys;
import io.ailurus.storage.CleanerConfig;
import io.ailurus.storage.LogCleaner;
import io.ailurus.storage.LogManager;

/**
 * Starts the log cleaner of a data directory with the broker's settings ({@code log_compaction_*} cluster
 * properties) and every Kafka codec. Which logs it compacts follows each topic's {@code cleanup.policy}, carried to
 * the storage in its log config.
 */
public final class LogCompaction {
    private LogCompaction() {}

    public static CleanerConfig cleanerConfig(ClusterConfig cluster) {
        return CleanerConfig.defaults()
            .withIntervalMs(cluster.get(ClusterConfigKeys.LOG_COMPACTION_INTERVAL_MS))
            .withIoBytesPerSecond(cluster.get(ClusterConfigKeys.LOG_COMPACTION_IO_MAX_BYTES_PER_SEC))
            .withDedupeBufferBytes(cluster.get(ClusterConfigKeys.LOG_COMPACTION_DEDUPE_BUFFER_BYTES))
            .withCompression(new KafkaRecordsCompression());
    }

    /** A running cleaner for {@code logs}; close it before the log manager. */
    public static LogCleaner start(LogManager logs, ClusterConfig cluster) {
        return LogCleaner.start(logs, cleanerConfig(cluster));
    }
}
