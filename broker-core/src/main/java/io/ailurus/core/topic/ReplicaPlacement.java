package io.ailurus.core.topic;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the replicas of new partitions: replicas spread round-robin over the brokers, each
 * partition starting one broker further along, so that replicas and preferred leaders are even
 * across brokers. {@code startIndex} lets successive topics start at different brokers.
 */
public final class ReplicaPlacement {
    private ReplicaPlacement() {}

    public static List<List<Integer>> place(List<Integer> brokers, int firstPartition, int partitions,
                                            int replicationFactor, int startIndex) {
        if (replicationFactor < 1 || replicationFactor > brokers.size()) {
            throw new IllegalArgumentException("replication factor " + replicationFactor
                + " needs between 1 and " + brokers.size() + " brokers");
        }
        List<Integer> sorted = brokers.stream().sorted().toList();
        int n = sorted.size();
        List<List<Integer>> out = new ArrayList<>(partitions);
        for (int p = firstPartition; p < firstPartition + partitions; p++) {
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            int leader = Math.floorMod(startIndex + p, n);
            // Followers step by a shift that differs per "round" of partitions, as Kafka does, so the
            // same leader does not always pair with the same followers.
            int shift = 1 + Math.floorMod(p / n, Math.max(1, n - 1));
            for (int r = 0; r < replicationFactor; r++) {
                int idx = r == 0 ? leader : Math.floorMod(leader + shift + (r - 1), n);
                while (replicas.contains(sorted.get(idx))) {
                    idx = (idx + 1) % n;
                }
                replicas.add(sorted.get(idx));
            }
            out.add(replicas);
        }
        return out;
    }
}
