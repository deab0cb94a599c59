package io.ailurus.core.partition;

import io.ailurus.storage.LogConfig;
import org.apache.kafka.common.record.TimestampType;

/**
 * The topic configs a partition acts on, already resolved against the cluster defaults: the
 * storage settings (segments, retention) plus what produce validation needs.
 */
public record PartitionSettings(LogConfig logConfig,
                                int maxMessageBytes,
                                TimestampType timestampType,
                                long timestampBeforeMaxMs,
                                long timestampAfterMaxMs,
                                boolean compacted) {

    /** Kafka's defaults: 1 MiB + record overhead per batch, CreateTime, no timestamp bounds. */
    public static PartitionSettings defaults() {
        return new PartitionSettings(LogConfig.defaults(), 1048588, TimestampType.CREATE_TIME,
            Long.MAX_VALUE, Long.MAX_VALUE, false);
    }
}
