package io.ailurus.core.metadata;

import java.util.List;
import java.util.Map;

/**
 * A topic as the controller knows it: its id (a Kafka {@code Uuid} in string form), the replicas of
 * each partition (preferred leader first) and its dynamic (non-default) configs.
 */
public record TopicInfo(String name, String topicId, List<List<Integer>> assignments, Map<String, String> configs) {

    public TopicInfo {
        assignments = assignments.stream().map(List::copyOf).toList();
        configs = Map.copyOf(configs);
    }

    public int partitionCount() {
        return assignments.size();
    }

    public List<Integer> replicas(int partition) {
        return assignments.get(partition);
    }

    public int replicationFactor() {
        return assignments.isEmpty() ? 0 : assignments.get(0).size();
    }
}
