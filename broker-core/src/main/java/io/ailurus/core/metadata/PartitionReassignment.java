package io.ailurus.core.metadata;

import java.util.ArrayList;
import java.util.List;

/**
 * A replica move in progress for one partition, as the controller records it
 * (AlterPartitionReassignments). While it lasts the partition's assignment in {@link TopicInfo} is
 * the union of the target and every replica that may still be a member of the partition's Raft
 * group, target first; when the group's membership equals the target, the partition's leader
 * reports it and the assignment becomes the target.
 *
 * @param original the replicas before the first of the moves now in progress (a cancel returns here)
 * @param target   the replicas wanted, preferred leader first
 */
public record PartitionReassignment(List<Integer> original, List<Integer> target) {

    public PartitionReassignment {
        original = List.copyOf(original);
        target = List.copyOf(target);
    }

    /** Replicas being added: in the target, not in the original (Kafka's {@code addingReplicas}). */
    public List<Integer> adding() {
        return target.stream().filter(r -> !original.contains(r)).toList();
    }

    /**
     * Replicas being removed, given the partition's current (union) assignment: everything not in
     * the target (Kafka's {@code removingReplicas}).
     */
    public List<Integer> removing(List<Integer> current) {
        return current.stream().filter(r -> !target.contains(r)).toList();
    }

    /** The assignment while moving: the target, then the others that may still hold the data. */
    public static List<Integer> union(List<Integer> target, List<Integer> current) {
        List<Integer> all = new ArrayList<>(target);
        for (int r : current) {
            if (!all.contains(r)) {
                all.add(r);
            }
        }
        return List.copyOf(all);
    }
}
