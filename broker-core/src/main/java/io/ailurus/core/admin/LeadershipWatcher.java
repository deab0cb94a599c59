package io.ailurus.core.admin;

import io.ailurus.core.partition.Partition;
import io.ailurus.core.partition.PartitionManager;
import io.micrometer.core.instrument.Counter;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Counts leadership changes of this node's partitions ({@code ailurus_raft_leadership_changes_total}):
 * after each metadata change it compares the partitions led here with the previous set, so a
 * partition opened as leader, or closed while leading, counts once.
 */
final class LeadershipWatcher {
    private final PartitionManager partitions;
    private final Counter changes;
    private Set<TopicPartition> led = Set.of();

    LeadershipWatcher(PartitionManager partitions, Counter changes) {
        this.partitions = partitions;
        this.changes = changes;
    }

    /** Called on the controller's apply thread after the partitions have followed the new image. */
    synchronized void refresh() {
        Set<TopicPartition> now = new HashSet<>();
        for (Partition p : partitions.all()) {
            if (p.isLeader()) {
                now.add(p.topicPartition());
            }
        }
        int diff = 0;
        for (TopicPartition tp : now) {
            if (!led.contains(tp)) {
                diff++;
            }
        }
        for (TopicPartition tp : led) {
            if (!now.contains(tp)) {
                diff++;
            }
        }
        if (diff > 0) {
            changes.increment(diff);
        }
        led = now;
    }
}
