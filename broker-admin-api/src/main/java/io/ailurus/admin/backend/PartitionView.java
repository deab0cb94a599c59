package io.ailurus.admin.backend;

import java.util.List;
import java.util.Objects;

/**
 * One partition as {@code GET /v1/partitions/kafka/{topic}/{partition}} shows it (Redpanda's
 * {@code partition} model): {@code ns, topic, partition_id, status, leader_id, raft_group_id,
 * replicas}.
 *
 * @param status {@code "done"} when settled, {@code "in_progress"} while replicas move
 * @param leaderId node id of the leader, -1 when there is none
 * @param raftGroupId the partition's Raft group id
 */
public record PartitionView(
        String ns,
        String topic,
        int partitionId,
        String status,
        int leaderId,
        long raftGroupId,
        List<ReplicaAssignment> replicas) {

    public PartitionView {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(status, "status");
        replicas = List.copyOf(replicas);
    }

    public PartitionId id() {
        return new PartitionId(ns, topic, partitionId);
    }

    /** Returns a copy with another leader. */
    public PartitionView withLeader(int newLeader) {
        return new PartitionView(ns, topic, partitionId, status, newLeader, raftGroupId, replicas);
    }

    /** One replica: the node and the core (shard) that owns it there. */
    public record ReplicaAssignment(int nodeId, int core) {
    }
}
