package io.ailurus.core.metadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the controller applies replica moves and decommissions to the metadata being built by
 * {@link MetadataState}: pure functions of the command and the maps they change, so every
 * controller replica applies them identically.
 *
 * <p>A move is recorded, not performed: the partition's assignment becomes the union of the target
 * and the current replicas (so every broker that may still hold the partition keeps it open and
 * the new ones open it), and the partition leader changes the Raft group's membership; when it is
 * done, the leader proposes {@link MetadataCommand.CompleteReassignment} and the assignment becomes
 * the target, which makes the removed brokers delete their copies.
 */
public final class ReplicaMoves {
    private ReplicaMoves() {}

    /** AlterPartitionReassignments for one partition: a new target, or a cancel (null target). */
    static CommandResult reassign(MetadataCommand.ReassignPartition r, Map<String, TopicInfo> topics,
                                  Map<String, Map<Integer, PartitionReassignment>> moves,
                                  Collection<Integer> registered, Set<Integer> decommissioned) {
        TopicInfo t = topics.get(r.topic());
        if (t == null || r.partition() < 0 || r.partition() >= t.partitionCount()) {
            return CommandResult.error(CommandResult.Error.UNKNOWN_TOPIC_OR_PARTITION,
                "Partition " + r.topic() + "-" + r.partition() + " does not exist.");
        }
        List<Integer> current = t.replicas(r.partition());
        PartitionReassignment ongoing = moves.getOrDefault(r.topic(), Map.of()).get(r.partition());
        List<Integer> original = ongoing == null ? current : ongoing.original();
        List<Integer> target = r.target();
        if (target == null) {
            if (ongoing == null) {
                return CommandResult.error(CommandResult.Error.NO_REASSIGNMENT_IN_PROGRESS,
                    "No reassignment is in progress for " + r.topic() + "-" + r.partition() + ".");
            }
            target = original; // a cancel is a move back, through the same Raft membership change
        } else {
            CommandResult bad = checkTarget(target, original, current, registered, decommissioned);
            if (!bad.isOk()) {
                return bad;
            }
        }
        if (ongoing == null && Set.copyOf(target).equals(Set.copyOf(current))) {
            // Same replicas, maybe another order: no membership change, only a new preferred leader.
            put(topics, t, r.partition(), target);
            return CommandResult.ok();
        }
        put(topics, t, r.partition(), PartitionReassignment.union(target, current));
        Map<Integer, PartitionReassignment> byPartition = new HashMap<>(moves.getOrDefault(r.topic(), Map.of()));
        byPartition.put(r.partition(), new PartitionReassignment(original, target));
        moves.put(r.topic(), Map.copyOf(byPartition));
        return CommandResult.ok();
    }

    /**
     * Why {@code target} cannot be a partition's replica list, or ok. Single-replica partitions
     * are not Raft groups (they have no way to copy their data to another broker), so they can
     * neither move nor gain replicas, and a replicated one cannot shrink to one replica.
     */
    public static CommandResult checkTarget(List<Integer> target, List<Integer> original, List<Integer> current,
                                            Collection<Integer> registered, Set<Integer> decommissioned) {
        if (target.isEmpty()) {
            return CommandResult.error(CommandResult.Error.INVALID_REPLICA_ASSIGNMENT, "The replica list is empty.");
        }
        if (new HashSet<>(target).size() != target.size()) {
            return CommandResult.error(CommandResult.Error.INVALID_REPLICA_ASSIGNMENT,
                "The replica list " + target + " contains a broker more than once.");
        }
        for (int id : target) {
            if (!registered.contains(id)) {
                return CommandResult.error(CommandResult.Error.INVALID_REPLICA_ASSIGNMENT,
                    "The proposed assignment " + target + " contains broker " + id + ", which is not registered.");
            }
            if (decommissioned.contains(id) && !current.contains(id)) {
                return CommandResult.error(CommandResult.Error.INVALID_REPLICA_ASSIGNMENT,
                    "Broker " + id + " is being decommissioned and takes no new replicas.");
            }
        }
        if (original.size() == 1 && target.size() > 1) {
            return CommandResult.error(CommandResult.Error.INVALID_REPLICATION_FACTOR,
                "Raising the replication factor of a single-replica partition is not supported: it is not a Raft group"
                    + " and cannot copy its data to new replicas. Create a topic with the replication factor wanted and"
                    + " copy the data into it.");
        }
        if (original.size() > 1 && target.size() == 1) {
            return CommandResult.error(CommandResult.Error.INVALID_REPLICATION_FACTOR,
                "Lowering the replication factor to 1 is not supported: a replicated partition stays a Raft group of"
                    + " at least 2 replicas.");
        }
        if (original.size() == 1 && !target.equals(original)) {
            return CommandResult.error(CommandResult.Error.INVALID_REPLICA_ASSIGNMENT,
                "A single-replica partition cannot move to another broker: it is not a Raft group and cannot copy its"
                    + " data.");
        }
        return CommandResult.ok();
    }

    /** The leader saw the group's membership become the target: the target is now the assignment. */
    static CommandResult complete(MetadataCommand.CompleteReassignment c, Map<String, TopicInfo> topics,
                                  Map<String, Map<Integer, PartitionReassignment>> moves) {
        TopicInfo t = topics.get(c.topic());
        PartitionReassignment ongoing = moves.getOrDefault(c.topic(), Map.of()).get(c.partition());
        if (t == null || ongoing == null || !ongoing.target().equals(c.target())) {
            // Deleted, cancelled or retargeted meanwhile: the leader's report is about an old move.
            return CommandResult.error(CommandResult.Error.INVALID_REQUEST, "No reassignment of " + c.topic() + "-"
                + c.partition() + " to " + c.target() + " is in progress.");
        }
        put(topics, t, c.partition(), c.target());
        Map<Integer, PartitionReassignment> byPartition = new HashMap<>(moves.get(c.topic()));
        byPartition.remove(c.partition());
        if (byPartition.isEmpty()) {
            moves.remove(c.topic());
        } else {
            moves.put(c.topic(), Map.copyOf(byPartition));
        }
        return CommandResult.ok();
    }

    /**
     * Marks a broker decommissioned (it gets no new replicas; the controller leader moves its
     * replicas away) or recommissioned (moves that were taking replicas off it go back).
     */
    static CommandResult setDecommissioned(MetadataCommand.SetBrokerDecommissioned d, Map<String, TopicInfo> topics,
                                           Map<String, Map<Integer, PartitionReassignment>> moves,
                                           Collection<Integer> registered, Set<Integer> decommissioned) {
        if (!registered.contains(d.nodeId())) {
            return CommandResult.error(CommandResult.Error.INVALID_REQUEST, "Broker " + d.nodeId() + " is not registered.");
        }
        if (d.decommissioned()) {
            decommissioned.add(d.nodeId());
            return CommandResult.ok();
        }
        decommissioned.remove(d.nodeId());
        for (String topic : List.copyOf(moves.keySet())) {
            Map<Integer, PartitionReassignment> byPartition = new HashMap<>(moves.get(topic));
            for (var e : List.copyOf(byPartition.entrySet())) {
                PartitionReassignment m = e.getValue();
                if (m.original().contains(d.nodeId()) && !m.target().contains(d.nodeId())) {
                    byPartition.put(e.getKey(), new PartitionReassignment(m.original(), m.original()));
                }
            }
            moves.put(topic, Map.copyOf(byPartition));
        }
        return CommandResult.ok();
    }

    private static void put(Map<String, TopicInfo> topics, TopicInfo t, int partition, List<Integer> replicas) {
        List<List<Integer>> all = new ArrayList<>(t.assignments());
        all.set(partition, List.copyOf(replicas));
        topics.put(t.name(), new TopicInfo(t.name(), t.topicId(), all, t.configs()));
    }
}
