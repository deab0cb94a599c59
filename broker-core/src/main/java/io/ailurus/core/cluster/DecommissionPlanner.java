package io.ailurus.core.cluster;

import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides where the replicas of a decommissioned broker go: each partition still on it (and not
 * already moving) gets a target with that broker replaced, in the same position, by the live,
 * not-decommissioned broker holding the fewest replicas that is not already a replica. A pure
 * function of the metadata image, used by the controller leader to start moves and by the admin
 * API to report progress.
 */
public final class DecommissionPlanner {
    private DecommissionPlanner() {}

    /**
     * @param moves        reassignments to propose (at most the limit given)
     * @param failures     partitions ({@code kafka/topic/partition}) that cannot leave, with no move possible
     * @param replicasLeft replicas still on the broker (moving ones included)
     */
    public record Plan(List<MetadataCommand.ReassignPartition> moves, List<String> failures, int replicasLeft) {}

    /** Plans up to {@code maxMoves} moves of replicas off {@code broker}. */
    public static Plan plan(MetadataImage image, int broker, int maxMoves) {
        Map<Integer, Integer> load = new HashMap<>();
        for (int id : image.brokers().keySet()) {
            load.put(id, 0);
        }
        for (TopicInfo t : image.topics().values()) {
            for (List<Integer> replicas : t.assignments()) {
                replicas.forEach(r -> load.merge(r, 1, Integer::sum));
            }
        }
        List<MetadataCommand.ReassignPartition> moves = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int left = 0;
        for (TopicInfo t : image.sortedTopics().values()) {
            for (int p = 0; p < t.partitionCount(); p++) {
                List<Integer> replicas = t.replicas(p);
                if (!replicas.contains(broker)) {
                    continue;
                }
                left++;
                if (image.reassignment(t.name(), p) != null) {
                    continue; // already moving: the move in progress decides
                }
                String name = "kafka/" + t.name() + "/" + p;
                if (replicas.size() == 1) {
                    failures.add(name + ": a single-replica partition cannot move (it is not a Raft group)");
                    continue;
                }
                Integer spare = image.placeableBrokers().stream()
                    .filter(id -> id != broker && !replicas.contains(id) && image.isBrokerAlive(id))
                    .min(Comparator.comparingInt((Integer id) -> load.getOrDefault(id, 0)).thenComparingInt(id -> id))
                    .orElse(null);
                if (spare == null) {
                    failures.add(name + ": no live broker outside " + replicas + " can take the replica");
                    continue;
                }
                if (moves.size() >= maxMoves) {
                    continue;
                }
                List<Integer> target = new ArrayList<>(replicas);
                target.set(target.indexOf(broker), spare);
                load.merge(spare, 1, Integer::sum);
                moves.add(new MetadataCommand.ReassignPartition(t.name(), p, List.copyOf(target)));
            }
        }
        return new Plan(moves, failures, left);
    }
}
