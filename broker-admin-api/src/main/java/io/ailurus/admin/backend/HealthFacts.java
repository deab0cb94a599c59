package io.ailurus.admin.backend;

import java.util.List;

/**
 * What the broker knows about cluster health; the admin server derives {@code is_healthy}, the
 * reasons and the truncated lists of {@code /v1/cluster/health_overview} from it.
 *
 * @param controllerId node id of the controller leader, or -1 when none is elected
 * @param allNodes ids of every registered node
 * @param nodesDown ids of nodes the cluster sees as down
 * @param highDiskUsageNodes ids of nodes over the disk alert threshold
 * @param leaderlessPartitions partitions without a leader, as {@code ns/topic/partition}
 * @param underReplicatedPartitions partitions with a replica behind, as {@code ns/topic/partition}
 */
public record HealthFacts(
        int controllerId,
        List<Integer> allNodes,
        List<Integer> nodesDown,
        List<Integer> highDiskUsageNodes,
        List<String> leaderlessPartitions,
        List<String> underReplicatedPartitions) {

    public HealthFacts {
        allNodes = List.copyOf(allNodes);
        nodesDown = List.copyOf(nodesDown);
        highDiskUsageNodes = List.copyOf(highDiskUsageNodes);
        leaderlessPartitions = List.copyOf(leaderlessPartitions);
        underReplicatedPartitions = List.copyOf(underReplicatedPartitions);
    }
}
