package io.ailurus.core.group;

import io.ailurus.core.config.ClusterConfig;
import io.ailurus.core.config.ClusterConfigKeys;

/**
 * The group coordinator's settings, read from the cluster properties in force (so run-time changes
 * apply to the next decision without a restart).
 */
public record GroupSettings(int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                           long offsetRetentionMs, long offsetRetentionCheckMs,
                           int consumerHeartbeatIntervalMs, int consumerSessionTimeoutMs) {

    /** Largest offset metadata string accepted (Kafka's offset.metadata.max.bytes default). */
    public static final int MAX_METADATA_LENGTH = 4096;

    public static GroupSettings from(ClusterConfig c) {
        return new GroupSettings(c.groupInitialRebalanceDelayMs(), c.groupMinSessionTimeoutMs(), c.groupMaxSessionTimeoutMs(),
            c.groupOffsetRetentionSec() * 1000, c.get(ClusterConfigKeys.GROUP_OFFSET_RETENTION_CHECK_MS),
            c.get(ClusterConfigKeys.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS), c.get(ClusterConfigKeys.GROUP_CONSUMER_SESSION_TIMEOUT_MS));
    }
}
