package io.ailurus.core.admin;

import io.ailurus.admin.backend.PartitionId;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionManager;
import io.ailurus.storage.LogManager;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * Health facts this node can vouch for: which of the partitions assigned to it have no leader
 * here (not open, or open without leadership), and whether its data disk is nearly full. Shared by
 * the health overview and the public gauges so both count the same way.
 */
final class LocalHealth {
    /** Redpanda's default {@code storage_space_alert_free_threshold_percent}. */
    static final double LOW_DISK_FREE_FRACTION = 0.05;

    private final int nodeId;
    private final PartitionManager partitions;
    private final LogManager logs;

    LocalHealth(int nodeId, PartitionManager partitions, LogManager logs) {
        this.nodeId = nodeId;
        this.partitions = partitions;
        this.logs = logs;
    }

    /** Partitions (all replicas on this node, single-replica build) that have no serving leader here. */
    List<String> leaderless(MetadataImage image) {
        List<String> out = new ArrayList<>();
        for (TopicInfo t : image.sortedTopics().values()) {
            for (int p = 0; p < t.partitionCount(); p++) {
                if (!t.replicas(p).contains(nodeId)) {
                    continue;
                }
                Partition local = partitions.get(new TopicPartition(t.name(), p));
                if (local == null || local.leaderId() < 0) {
                    out.add(PartitionId.kafka(t.name(), p).toString());
                }
            }
        }
        return out;
    }

    long leaderlessCount(MetadataImage image) {
        return leaderless(image).size();
    }

    boolean diskNearlyFull() {
        try {
            var store = Files.getFileStore(logs.dataDir());
            long total = store.getTotalSpace();
            return total > 0 && (double) store.getUsableSpace() / total < LOW_DISK_FREE_FRACTION;
        } catch (IOException e) {
            return false;
        }
    }
}
