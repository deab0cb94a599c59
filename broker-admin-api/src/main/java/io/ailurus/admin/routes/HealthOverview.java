package io.ailurus.admin.routes;

import io.ailurus.admin.backend.HealthFacts;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code GET /v1/cluster/health_overview} (Redpanda's {@code cluster_health_overview}),
 * derived from the broker's {@link HealthFacts}. The partition lists are cut at
 * {@value #MAX_LISTED_PARTITIONS} entries, as Redpanda does, with the full counts alongside, so a
 * cluster with a million leaderless partitions still answers quickly.
 */
public record HealthOverview(
        boolean isHealthy,
        List<String> unhealthyReasons,
        int controllerId,
        List<Integer> allNodes,
        List<Integer> nodesDown,
        List<Integer> highDiskUsageNodes,
        List<String> leaderlessPartitions,
        int leaderlessCount,
        List<String> underReplicatedPartitions,
        int underReplicatedCount) {

    public static final int MAX_LISTED_PARTITIONS = 128;

    /** Reason strings, stable for scripts that match on them. */
    public static final String NO_CONTROLLER = "controller_unavailable";
    public static final String NODES_DOWN = "nodes_down";
    public static final String LEADERLESS = "leaderless_partitions";
    public static final String UNDER_REPLICATED = "under_replicated_partitions";

    public static HealthOverview of(HealthFacts f) {
        List<String> reasons = new ArrayList<>();
        if (f.controllerId() < 0) {
            reasons.add(NO_CONTROLLER);
        }
        if (!f.nodesDown().isEmpty()) {
            reasons.add(NODES_DOWN);
        }
        if (!f.leaderlessPartitions().isEmpty()) {
            reasons.add(LEADERLESS);
        }
        if (!f.underReplicatedPartitions().isEmpty()) {
            reasons.add(UNDER_REPLICATED);
        }
        // High disk usage is reported but, as in Redpanda, does not by itself make the cluster unhealthy.
        return new HealthOverview(reasons.isEmpty(), List.copyOf(reasons), f.controllerId(),
                sorted(f.allNodes()), sorted(f.nodesDown()), sorted(f.highDiskUsageNodes()),
                head(f.leaderlessPartitions()), f.leaderlessPartitions().size(),
                head(f.underReplicatedPartitions()), f.underReplicatedPartitions().size());
    }

    private static List<Integer> sorted(List<Integer> ids) {
        return ids.stream().sorted().toList();
    }

    private static List<String> head(List<String> partitions) {
        return List.copyOf(partitions.subList(0, Math.min(MAX_LISTED_PARTITIONS, partitions.size())));
    }
}
